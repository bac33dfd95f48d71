using System.Buffers.Binary;
using Google.Protobuf;
using Microsoft.Win32.SafeHandles;
using static TorchSharp.torch;

namespace Layerwise.Formats.Checkpoint;

/// <summary>
/// Reads a TensorFlow tensor bundle (<c>prefix.index</c> plus <c>prefix.data-0000k-of-0000N</c>
/// shards). <see cref="Open"/> validates the whole index before anything else: table structure and
/// CRCs, the header, every entry's type, shape, size and shard, and that each entry lies inside its
/// shard file. Tensor bytes are checked against their CRC-32C when read.
/// </summary>
public sealed class BundleReader : IDisposable
{
    /// <summary>Index files larger than this are refused before being read (a real one holds only names and offsets).</summary>
    public const long MaxIndexBytes = 256L << 20;

    /// <summary>String tensors larger than this are refused (the object graph is a few KB).</summary>
    public const long MaxStringBytes = 64L << 20;

    const int ChunkBytes = 8 << 20;

    /// <summary>Verification reads through a buffer small enough to stay in cache while its CRC is computed.</summary>
    const int VerifyChunkBytes = 512 << 10;

    readonly Dictionary<string, BundleEntry> entries;
    readonly string[] shardPaths;
    readonly SafeFileHandle?[] shards;

    BundleReader(string prefix, string indexPath, Dictionary<string, BundleEntry> entries, string[] shardPaths)
    {
        Prefix = prefix;
        IndexPath = indexPath;
        this.entries = entries;
        this.shardPaths = shardPaths;
        shards = new SafeFileHandle?[shardPaths.Length];
    }

    /// <summary>The bundle prefix (the path without <c>.index</c>), as given to <see cref="Open"/>.</summary>
    public string Prefix { get; }

    /// <summary>The index file actually read (<c>.index</c>, or <c>.index.old</c> after an interrupted save).</summary>
    public string IndexPath { get; }

    /// <summary>The number of data files (<c>.data-0000k-of-0000N</c>).</summary>
    public int NumShards => shardPaths.Length;

    /// <summary>Every tensor's entry, by key (the header under the empty key is not included).</summary>
    public IReadOnlyDictionary<string, BundleEntry> Entries => entries;

    /// <summary>Whether the bundle holds a tensor under <paramref name="key"/>.</summary>
    public bool Contains(string key) => entries.ContainsKey(key);

    /// <summary>The data file that holds <paramref name="key"/>.</summary>
    public string DataPathOf(string key) => shardPaths[Entry(key).ShardId];

    /// <summary>The index entry (type, shape, shard, offset, CRC) of <paramref name="key"/>.</summary>
    /// <param name="key">A checkpoint key, e.g. <c>layer_with_weights-0/kernel/.ATTRIBUTES/VARIABLE_VALUE</c>.</param>
    /// <exception cref="CheckpointException">The bundle has no such key.</exception>
    public BundleEntry Entry(string key) => entries.TryGetValue(key, out var e)
        ? e
        : throw new CheckpointException($"Checkpoint \"{Prefix}\" has no tensor \"{key}\".", IndexPath, key);

    /// <summary>Opens and validates the bundle at <paramref name="prefix"/> (no extension).</summary>
    public static BundleReader Open(string prefix)
    {
        var index = ReadIndex(prefix);
        var shardLengths = new long?[index.ShardPaths.Length];
        var entries = new Dictionary<string, BundleEntry>(StringComparer.Ordinal);
        foreach (var (key, entry) in index.Entries)
        {
            long shardLength = shardLengths[entry.ShardId] ??= LengthOf(index.ShardPaths[entry.ShardId], index.IndexPath, key);
            if (entry.Offset > shardLength || entry.Size > shardLength - entry.Offset)
                throw new CorruptCheckpointException(
                    $"Checkpoint data file \"{index.ShardPaths[entry.ShardId]}\" is {shardLength} bytes long, but tensor \"{key}\" is recorded at " +
                    $"bytes {entry.Offset} to {entry.Offset + entry.Size} (truncated data file?).", index.ShardPaths[entry.ShardId], key);
            entries[key] = entry;
        }
        return new BundleReader(prefix, index.IndexPath, entries, index.ShardPaths);
    }

    /// <summary>A bundle's index, validated on its own: every entry, in key order, and the data files it names (not opened).</summary>
    internal sealed record BundleIndex(string IndexPath, string[] ShardPaths, IReadOnlyList<(string Key, BundleEntry Entry)> Entries);

    /// <summary>
    /// Reads and validates the index at <paramref name="prefix"/> without touching the data shards:
    /// table structure and CRCs, the header, and every entry's type, shape, size and shard number
    /// (what <c>tf.train.list_variables</c> needs; <see cref="Open"/> then checks each entry against its shard).
    /// </summary>
    internal static BundleIndex ReadIndex(string prefix)
    {
        ArgumentException.ThrowIfNullOrEmpty(prefix);
        var resolved = BundleFiles.Resolve(prefix)
            ?? throw new CheckpointNotFoundException(
                $"No checkpoint at \"{prefix}\": \"{BundleFiles.IndexPath(prefix)}\" does not exist. " +
                "Pass the prefix the checkpoint was saved with (without .index), e.g. from Checkpoint.Latest(dir).",
                BundleFiles.IndexPath(prefix));
        var indexPath = resolved.IndexPath;
        if (RegularFile.Problem(indexPath) is { } problem)
            throw new CorruptCheckpointException($"Checkpoint index \"{indexPath}\" cannot be read: {problem}.", indexPath);
        byte[] bytes;
        using (var handle = File.OpenHandle(indexPath, FileMode.Open, FileAccess.Read, FileShare.Read))
        {
            long length = RandomAccess.GetLength(handle);
            if (length > MaxIndexBytes)
                throw new CorruptCheckpointException($"Checkpoint index \"{indexPath}\" is {length} bytes long, more than the {MaxIndexBytes} bytes an index can plausibly need.", indexPath);
            bytes = new byte[length];
            int read = 0;
            while (read < bytes.Length)
            {
                int n = RandomAccess.Read(handle, bytes.AsSpan(read), read);
                if (n == 0) throw new CorruptCheckpointException($"Checkpoint index \"{indexPath}\" ended after {read} of {length} bytes while being read.", indexPath);
                read += n;
            }
        }

        var table = SortedTableReader.ReadAll(bytes, indexPath);
        if (table.Count == 0 || table[0].Key.Length != 0)
            throw new CorruptCheckpointException($"Checkpoint index \"{indexPath}\" has no bundle header (the entry under the empty key must come first).", indexPath);
        BundleHeader header;
        try { header = BundleHeader.Parse(table[0].Value); }
        catch (InvalidProtocolBufferException e)
        {
            throw new CorruptCheckpointException($"Checkpoint index \"{indexPath}\": the bundle header does not parse.", indexPath, "", e);
        }
        if (header.NumShards is < 1 or > 100_000)
            throw new CorruptCheckpointException($"Checkpoint index \"{indexPath}\": the header declares {header.NumShards} data shards; expected 1 to 100000.", indexPath, "");
        if (header.BigEndian)
            throw new CorruptCheckpointException($"Checkpoint index \"{indexPath}\" was written on a big-endian machine; only little-endian bundles are supported.", indexPath, "");
        if (header.MinConsumer > BundleHeader.Version)
            throw new CorruptCheckpointException($"Checkpoint index \"{indexPath}\" needs a reader of bundle version {header.MinConsumer} or newer; this one reads version {BundleHeader.Version}.", indexPath, "");

        var shardPaths = Enumerable.Range(0, header.NumShards).Select(s => resolved.DataPath(s, header.NumShards)).ToArray();
        var entries = new List<(string, BundleEntry)>(table.Count - 1);
        foreach (var (key, value) in table.Skip(1))
        {
            BundleEntry entry;
            bool hasSlices;
            try { entry = BundleEntry.Parse(value, out hasSlices); }
            catch (Exception e) when (e is InvalidProtocolBufferException or FormatException)
            {
                throw new CorruptCheckpointException($"Checkpoint index \"{indexPath}\": the entry for \"{key}\" does not parse ({e.Message}).", indexPath, key, e);
            }
            Validate(indexPath, key, entry, hasSlices, header.NumShards);
            entries.Add((key, entry));
        }
        return new BundleIndex(indexPath, shardPaths, entries);
    }

    static void Validate(string indexPath, string key, BundleEntry entry, bool hasSlices, int numShards)
    {
        string Where() => $"Checkpoint index \"{indexPath}\", tensor \"{key}\"";
        if (hasSlices)
            throw new CorruptCheckpointException($"{Where()} is a slice of a partitioned variable, which is not supported.", indexPath, key);
        if (entry.ShardId < 0 || entry.ShardId >= numShards)
            throw new CorruptCheckpointException($"{Where()}: shard {entry.ShardId} does not exist (the header declares {numShards}).", indexPath, key);
        if (entry.Offset < 0 || entry.Size < 0)
            throw new CorruptCheckpointException($"{Where()}: negative offset {entry.Offset} or size {entry.Size}.", indexPath, key);
        if (entry.Shape.Any(d => d < 0))
            throw new CorruptCheckpointException($"{Where()}: shape {ShapeText.Format(entry.Shape)} has a negative dimension.", indexPath, key);
        long elements = 1;
        foreach (var d in entry.Shape)
            if (d != 0 && elements > long.MaxValue / d)
                throw new CorruptCheckpointException($"{Where()}: shape {ShapeText.Format(entry.Shape)} has more elements than can exist.", indexPath, key);
            else elements *= d;
        int elementSize = TensorDataTypes.ElementSize(entry.DType);
        if (entry.DType == TensorDataType.String) return;
        if (elementSize == 0)
            throw new CorruptCheckpointException($"{Where()} has data type {(int)entry.DType} ({entry.DType}), which is not supported.", indexPath, key);
        if (elements > long.MaxValue / elementSize || elements * elementSize != entry.Size)
            throw new CorruptCheckpointException(
                $"{Where()}: shape {ShapeText.Format(entry.Shape)} of {TensorDataTypes.Name(entry.DType)} needs {elements * (long)elementSize} bytes, but {entry.Size} are recorded.", indexPath, key);
    }

    static long LengthOf(string path, string indexPath, string key)
    {
        var info = FileLength.Resolve(path);
        if (!info.Exists)
            throw new CheckpointNotFoundException($"Checkpoint data file \"{path}\" (named by \"{indexPath}\" for tensor \"{key}\") does not exist.", path, key);
        if (RegularFile.Problem(path) is { } problem)
            throw new CorruptCheckpointException($"Checkpoint data file \"{path}\" (for tensor \"{key}\") cannot be read: {problem}.", path, key);
        return info.Length;
    }

    /// <summary>Reads a numeric tensor into a new CPU tensor, after checking its CRC-32C.</summary>
    public Tensor ReadTensor(string key)
    {
        var entry = Entry(key);
        if (entry.DType == TensorDataType.String)
            throw new CheckpointException($"Checkpoint tensor \"{key}\" in \"{Prefix}\" holds strings; use ReadString.", IndexPath, key);
        var handle = Shard(entry.ShardId, key);
        long offset = entry.Offset;
        uint crc = 0;
        var tensor = TensorBytes.Create(TensorBytes.ScalarTypeOf(entry.DType), entry.Shape, ChunkBytes, chunk =>
        {
            ReadExactly(handle, chunk, offset, key);
            crc = Crc32C.Extend(crc, chunk);
            offset += chunk.Length;
        });
        try
        {
            CheckCrc(entry, key, crc);
            return tensor;
        }
        catch
        {
            tensor.Dispose();
            throw;
        }
    }

    /// <summary>Checks a tensor's CRC-32C without keeping its bytes (a bounded buffer is reused).</summary>
    public void Verify(string key)
    {
        var entry = Entry(key);
        if (entry.DType == TensorDataType.String) { _ = ReadStrings(key); return; }
        var handle = Shard(entry.ShardId, key);
        var buffer = new byte[(int)Math.Min(VerifyChunkBytes, Math.Max(1, entry.Size))];
        uint crc = 0;
        for (long done = 0; done < entry.Size;)
        {
            var span = buffer.AsSpan(0, (int)Math.Min(buffer.Length, entry.Size - done));
            ReadExactly(handle, span, entry.Offset + done, key);
            crc = Crc32C.Extend(crc, span);
            done += span.Length;
        }
        CheckCrc(entry, key, crc);
    }

    /// <summary>
    /// Checks the CRC-32C of every tensor in <paramref name="keys"/>, on as many threads as there are
    /// cores, each reading through its own bounded buffer: nothing the size of a tensor is allocated.
    /// Tensors are cut into pieces of <see cref="PieceBytes"/> whose CRCs are joined in order
    /// (<see cref="Crc32C.Combine"/>), so that every core works to the end even when one tensor
    /// holds most of the bytes.
    /// </summary>
    public void VerifyAll(IEnumerable<string> keys)
    {
        var list = keys.Distinct().ToList();
        foreach (var key in list) _ = Entry(key);
        foreach (var key in list.Where(k => entries[k].DType == TensorDataType.String)) Verify(key);
        var numeric = list.Where(k => entries[k].DType != TensorDataType.String).ToList();
        var pieces = Pieces(numeric);
        foreach (var piece in pieces) _ = Shard(piece.Entry.ShardId, piece.Key);
        var crcs = new uint[pieces.Count];
        ParallelWork.Run(pieces.Count, i =>
        {
            var (key, entry, start, length) = pieces[i];
            var handle = Shard(entry.ShardId, key);
            var buffer = System.Buffers.ArrayPool<byte>.Shared.Rent((int)Math.Min(VerifyChunkBytes, Math.Max(1, length)));
            try
            {
                uint crc = 0;
                for (long done = 0; done < length;)
                {
                    var span = buffer.AsSpan(0, (int)Math.Min(buffer.Length, length - done));
                    ReadExactly(handle, span, entry.Offset + start + done, key);
                    crc = Crc32C.Extend(crc, span);
                    done += span.Length;
                }
                crcs[i] = crc;
            }
            finally
            {
                System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
            }
        });
        // Pieces are in key order, each tensor's in file order: join them, then check in key order.
        for (int i = 0; i < pieces.Count;)
        {
            var (key, entry, _, _) = pieces[i];
            uint crc = 0;
            for (; i < pieces.Count && pieces[i].Key == key; i++) crc = Crc32C.Combine(crc, crcs[i], pieces[i].Length);
            CheckCrc(entry, key, crc);
        }
    }

    /// <summary>Parallel passes cut tensors into pieces this large (one piece per work item).</summary>
    const long PieceBytes = 16 << 20;

    /// <summary>The byte ranges of <paramref name="keys"/>' tensors, each tensor's in order, at most <see cref="PieceBytes"/> long.</summary>
    List<(string Key, BundleEntry Entry, long Start, long Length)> Pieces(IEnumerable<string> keys)
    {
        var pieces = new List<(string, BundleEntry, long, long)>();
        foreach (var key in keys)
        {
            var entry = entries[key];
            if (entry.Size == 0) pieces.Add((key, entry, 0, 0));
            for (long start = 0; start < entry.Size; start += PieceBytes)
                pieces.Add((key, entry, start, Math.Min(PieceBytes, entry.Size - start)));
        }
        return pieces;
    }

    /// <summary>
    /// Reads a numeric tensor straight into <paramref name="destination"/> (same element count and type;
    /// any device), through bounded chunks, and checks its CRC-32C on the bytes just read.
    /// </summary>
    public void ReadInto(string key, Tensor destination) => ReadAllInto([(key, destination)]);

    /// <summary>
    /// Reads several numeric tensors straight into their destinations (same element count and type; any device),
    /// in one pass, on as many threads as there are cores. Contiguous CPU destinations are filled piece by piece
    /// (<see cref="PieceBytes"/>, each piece by one thread), others whole. Each chunk's CRC-32C is computed on the
    /// bytes just read, while they are still in the cache (<see cref="CrcChunkBytes"/>), so memory is touched
    /// once; the pieces' CRCs are joined and every tensor's checked once all are read
    /// (<see cref="CheckpointChecksumException"/> for the first, in the given order, that does not match).
    /// </summary>
    public void ReadAllInto(IReadOnlyList<(string Key, Tensor Destination)> targets)
    {
        var work = new List<(string Key, Tensor Destination, long Start, long Count)>();
        foreach (var (key, destination) in targets)
        {
            var entry = Entry(key);
            _ = Shard(entry.ShardId, key);
            var type = TensorBytes.ScalarTypeOf(entry.DType);
            if (destination.dtype != type || destination.numel() != entry.ElementCount)
                throw new ArgumentException($"Tensor \"{key}\" is {TensorDataTypes.Name(entry.DType)} {ShapeText.Format(entry.Shape)}; " +
                                            $"the destination is {destination.dtype} {ShapeText.Format(destination.shape)}.", nameof(targets));
            long count = entry.ElementCount;
            bool split = destination.device_type == TorchSharp.DeviceType.CPU && destination.is_contiguous();
            long perPiece = split ? Math.Max(1, PieceBytes / destination.ElementSize) : Math.Max(1, count);
            if (count == 0) work.Add((key, destination, 0, 0));
            for (long start = 0; start < count; start += perPiece)
                work.Add((key, destination, start, Math.Min(perPiece, count - start)));
        }
        var crcs = new uint[work.Count];
        var lengths = new long[work.Count];
        ParallelWork.Run(work.Count, i =>
        {
            var (key, destination, start, count) = work[i];
            var entry = entries[key];
            var handle = Shard(entry.ShardId, key);
            long offset = entry.Offset + start * destination.ElementSize;
            uint crc = 0;
            void Read(Span<byte> chunk)
            {
                ReadExactly(handle, chunk, offset, key);
                crc = Crc32C.Extend(crc, chunk);
                offset += chunk.Length;
            }
            if (start == 0 && count == destination.numel()) TensorBytes.Fill(destination, CrcChunkBytes, Read);
            else
            {
                using var _ = no_grad();
                using var flat = destination.detach().view(-1);
                using var piece = flat.narrow(0, start, count);
                TensorBytes.Fill(piece, CrcChunkBytes, Read);
            }
            crcs[i] = crc;
            lengths[i] = count * destination.ElementSize;
        });
        // Work items are in target order, each tensor's pieces in file order: join them, then check.
        for (int i = 0; i < work.Count;)
        {
            var key = work[i].Key;
            var destination = work[i].Destination;
            uint crc = 0;
            for (; i < work.Count && work[i].Key == key && ReferenceEquals(work[i].Destination, destination); i++) crc = Crc32C.Combine(crc, crcs[i], lengths[i]);
            CheckCrc(entries[key], key, crc);
        }
    }

    /// <summary>
    /// Bytes read and then CRC'd at a time while loading: small enough to still be in a core's L2 cache when
    /// the CRC reads them (a larger chunk made the CRC read them back from memory: a second pass).
    /// </summary>
    const int CrcChunkBytes = 256 << 10;

    /// <summary>Reads a string tensor's elements, after checking the length checksum and the CRC-32C.</summary>
    public byte[][] ReadStrings(string key)
    {
        var entry = Entry(key);
        var path = shardPaths[entry.ShardId];
        if (entry.DType != TensorDataType.String)
            throw new CheckpointException($"Checkpoint tensor \"{key}\" in \"{Prefix}\" is {TensorDataTypes.Name(entry.DType)}, not string.", IndexPath, key);
        if (entry.Size > MaxStringBytes)
            throw new CorruptCheckpointException($"Checkpoint tensor \"{key}\" in \"{path}\" is a string tensor of {entry.Size} bytes, more than the {MaxStringBytes} allowed.", path, key);
        long count = entry.ElementCount;
        if (count > entry.Size)
            throw new CorruptCheckpointException($"Checkpoint tensor \"{key}\" in \"{path}\": {count} strings cannot fit in {entry.Size} bytes.", path, key);
        var bytes = new byte[entry.Size];
        ReadExactly(Shard(entry.ShardId, key), bytes, entry.Offset, key);
        var result = new byte[count][];
        try
        {
            var input = new CodedInputStream(bytes);
            var lengths = new ulong[count];
            uint crc = 0;
            Span<byte> word = stackalloc byte[8];
            for (long i = 0; i < count; i++)
            {
                lengths[i] = input.ReadUInt64();
                if (lengths[i] <= uint.MaxValue)
                {
                    BinaryPrimitives.WriteUInt32LittleEndian(word, (uint)lengths[i]);
                    crc = Crc32C.Extend(crc, word[..4]);
                }
                else
                {
                    BinaryPrimitives.WriteUInt64LittleEndian(word, lengths[i]);
                    crc = Crc32C.Extend(crc, word);
                }
            }
            long position = input.Position;
            if (position + 4 > bytes.Length)
                throw new CorruptCheckpointException($"Checkpoint tensor \"{key}\" in \"{path}\": the string lengths run past its {entry.Size} bytes.", path, key);
            uint lengthChecksum = BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan((int)position, 4));
            if (Crc32C.Unmask(lengthChecksum) != crc)
                throw new CheckpointChecksumException($"Checkpoint tensor \"{key}\" in \"{path}\": the checksum of its string lengths does not match (corrupt data file).",
                    path, key, Crc32C.Unmask(lengthChecksum), crc);
            crc = Crc32C.Extend(crc, bytes.AsSpan((int)position, 4));
            position += 4;
            for (long i = 0; i < count; i++)
            {
                if (lengths[i] > (ulong)(bytes.Length - position))
                    throw new CorruptCheckpointException($"Checkpoint tensor \"{key}\" in \"{path}\": string {i} of {lengths[i]} bytes runs past the tensor's {entry.Size} bytes.", path, key);
                result[i] = bytes.AsSpan((int)position, (int)lengths[i]).ToArray();
                crc = Crc32C.Extend(crc, result[i]);
                position += (long)lengths[i];
            }
            CheckCrc(entry, key, crc);
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new CorruptCheckpointException($"Checkpoint tensor \"{key}\" in \"{path}\": its string lengths do not parse.", path, key, e);
        }
        return result;
    }

    /// <summary>Reads a scalar string tensor.</summary>
    public byte[] ReadString(string key)
    {
        var values = ReadStrings(key);
        if (values.Length != 1)
            throw new CorruptCheckpointException($"Checkpoint tensor \"{key}\" in \"{DataPathOf(key)}\" holds {values.Length} strings; expected a scalar.", DataPathOf(key), key);
        return values[0];
    }

    void CheckCrc(BundleEntry entry, string key, uint actual)
    {
        uint expected = Crc32C.Unmask(entry.MaskedCrc32C);
        if (expected != actual)
        {
            var path = shardPaths[entry.ShardId];
            throw new CheckpointChecksumException(
                $"Checkpoint data file \"{path}\" is corrupt: tensor \"{key}\" (bytes {entry.Offset} to {entry.Offset + entry.Size}) has CRC-32C 0x{actual:x8}, " +
                $"but 0x{expected:x8} was recorded in \"{IndexPath}\".", path, key, expected, actual);
        }
    }

    SafeFileHandle Shard(int id, string key)
    {
        var path = shardPaths[id];
        try
        {
            lock (shards)
                return shards[id] ??= File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete);
        }
        catch (FileNotFoundException e)
        {
            throw new CheckpointNotFoundException($"Checkpoint data file \"{path}\" (for tensor \"{key}\") no longer exists: {e.Message}", path, key);
        }
    }

    void ReadExactly(SafeFileHandle handle, Span<byte> destination, long offset, string key)
    {
        int done = 0;
        while (done < destination.Length)
        {
            int n = RandomAccess.Read(handle, destination[done..], offset + done);
            if (n == 0)
            {
                var path = shardPaths[entries[key].ShardId];
                throw new CorruptCheckpointException($"Checkpoint data file \"{path}\" ended at byte {offset + done} while reading tensor \"{key}\" (truncated after it was opened?).", path, key);
            }
            done += n;
        }
    }

    /// <summary>Closes the data files.</summary>
    public void Dispose()
    {
        foreach (var s in shards) s?.Dispose();
        Array.Clear(shards);
    }
}
