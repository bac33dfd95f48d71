using System.Buffers.Binary;
using System.Text;
using Google.Protobuf;
using static TorchSharp.torch;

namespace Layerwise.Formats.Checkpoint;

/// <summary>
/// Writes a TensorFlow tensor bundle: tensors appended to one data shard as raw little-endian
/// bytes, each recorded in the index with its masked CRC-32C, then <see cref="Commit"/> writes the
/// index and puts the files in place atomically (<see cref="BundleFiles"/>). Until then nothing
/// at the prefix has changed; disposing without committing deletes the temporary files.
/// </summary>
public sealed class BundleWriter : IDisposable
{
    // Small enough that the CRC reads the chunk from cache right after it was written.
    const int ChunkBytes = 512 << 10;
    readonly string prefix;
    readonly string dataFinal, dataTemp;
    readonly FileStream data;
    readonly Dictionary<string, BundleEntry> entries = new(StringComparer.Ordinal);
    bool committed, disposed;

    /// <summary>
    /// Starts a bundle at <paramref name="prefix"/>; nothing replaces existing files until it is committed.
    /// </summary>
    /// <param name="prefix">The path without extension; <c>.index</c> and <c>.data-00000-of-00001</c> are
    /// added.</param>
    public BundleWriter(string prefix)
    {
        ArgumentException.ThrowIfNullOrEmpty(prefix);
        this.prefix = prefix;
        var dir = BundleFiles.DirectoryOf(prefix);
        Directory.CreateDirectory(dir);
        dataFinal = BundleFiles.DataPath(prefix, 0, 1);
        dataTemp = BundleFiles.TempPath(dataFinal);
        data = new FileStream(dataTemp, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 1 << 20);
    }

    /// <summary>The bundle prefix (the path without <c>.index</c>).</summary>
    public string Prefix => prefix;

    /// <summary>Appends raw little-endian tensor bytes under <paramref name="key"/>.</summary>
    public void Add(string key, TensorDataType dtype, long[] shape, ReadOnlySpan<byte> bytes)
    {
        BeginEntry(key);
        long offset = data.Position;
        data.Write(bytes);
        entries[key] = new BundleEntry(dtype, shape.ToArray(), 0, offset, bytes.Length, Crc32C.Mask(Crc32C.Compute(bytes)));
    }

    /// <summary>Appends a tensor (any device; copied to the CPU in chunks when needed) under <paramref name="key"/>.</summary>
    public void Add(string key, Tensor tensor)
    {
        BeginEntry(key);
        var dtype = TensorBytes.DataTypeOf(tensor);
        long offset = data.Position;
        uint crc = 0;
        long size = 0;
        TensorBytes.ForEachChunk(tensor, ChunkBytes, chunk =>
        {
            data.Write(chunk);
            crc = Crc32C.Extend(crc, chunk);
            size += chunk.Length;
        });
        entries[key] = new BundleEntry(dtype, tensor.shape, 0, offset, size, Crc32C.Mask(crc));
    }

    /// <summary>Appends a scalar string tensor (TensorFlow's layout: varint length, masked length CRC, bytes).</summary>
    public void AddString(string key, ReadOnlySpan<byte> value)
    {
        BeginEntry(key);
        long offset = data.Position;
        var length = new byte[CodedOutputStream.ComputeUInt64Size((ulong)value.Length)];
        var coded = new CodedOutputStream(length);
        coded.WriteUInt64((ulong)value.Length);
        coded.Flush();
        int lengthBytes = length.Length;
        Span<byte> word = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(word, (uint)value.Length);
        uint crc = Crc32C.Compute(word);
        BinaryPrimitives.WriteUInt32LittleEndian(word, Crc32C.Mask(crc));
        data.Write(length);
        data.Write(word);
        data.Write(value);
        crc = Crc32C.Extend(Crc32C.Extend(crc, word), value);
        entries[key] = new BundleEntry(TensorDataType.String, [], 0, offset, lengthBytes + 4 + value.Length, Crc32C.Mask(crc));
    }

    /// <summary>Writes the index and puts the bundle in place; the previous bundle at the prefix stays loadable until the last rename.</summary>
    public void Commit()
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        if (committed) throw new InvalidOperationException("The bundle was already committed.");
        try
        {
            data.Flush(flushToDisk: true);
            data.Dispose();
        }
        catch (Exception e) when (SaveFailure.For(prefix, e) is { } failure)
        {
            throw failure;   // Dispose (the caller's using) deletes the temporary data file
        }

        var indexFinal = BundleFiles.IndexPath(prefix);
        var indexTemp = BundleFiles.TempPath(indexFinal);
        try
        {
            using (var index = new FileStream(indexTemp, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 1 << 16))
            {
                var table = new SortedTableWriter(index);
                table.Add([], new BundleHeader(1, false, BundleHeader.Version, 0).ToBytes());
                foreach (var (key, bytes) in entries.Select(e => (Encoding.UTF8.GetBytes(e.Key), e.Value))
                                                    .OrderBy(e => e.Item1, Utf8Order.Instance))
                    table.Add(key, bytes.ToBytes());
                table.Finish();
                index.Flush(flushToDisk: true);
            }
            BundleFiles.Swap(prefix, [(dataTemp, dataFinal)], indexTemp);
            committed = true;
        }
        catch (Exception e) when (SaveFailure.For(prefix, e) is { } failure)
        {
            throw failure;
        }
        finally
        {
            if (!committed)
            {
                TryDelete(indexTemp);
                TryDelete(dataTemp);
            }
        }
        // What killed saves left in the folder goes now that this one is complete.
        BundleFiles.DeleteStaleTemps(prefix);
    }

    /// <summary>Closes the data file; an uncommitted bundle's temporary files are deleted.</summary>
    public void Dispose()
    {
        if (disposed) return;
        disposed = true;
        try
        {
            // Flushes what is buffered: on a full disk that fails again, and the temporary file must still go.
            data.Dispose();
        }
        catch (IOException) when (!committed) { }
        finally
        {
            if (!committed) TryDelete(dataTemp);
        }
    }

    void BeginEntry(string key)
    {
        ObjectDisposedException.ThrowIf(disposed || committed, this);
        ArgumentNullException.ThrowIfNull(key);
        if (key.Length == 0) throw new ArgumentException("The empty key holds the bundle header; tensors need a name.", nameof(key));
        if (entries.ContainsKey(key)) throw new ArgumentException($"The bundle already has a tensor \"{key}\".", nameof(key));
    }

    static void TryDelete(string path)
    {
        try { File.Delete(path); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    sealed class Utf8Order : IComparer<byte[]>
    {
        public static readonly Utf8Order Instance = new();
        public int Compare(byte[]? x, byte[]? y) => x.AsSpan().SequenceCompareTo(y);
    }
}
