using System.Buffers.Binary;
using System.Text;
using Google.Protobuf;

namespace Layerwise.Formats.Checkpoint;

/// <summary>
/// Writes a LevelDB-format table (see <see cref="SortedTable"/>) of byte-string keys, added in
/// strictly increasing ordinal order, uncompressed, as TensorFlow writes bundle indexes.
/// </summary>
internal sealed class SortedTableWriter(Stream output)
{
    readonly BlockBuilder data = new(SortedTable.RestartInterval);
    readonly BlockBuilder index = new(1);
    byte[]? lastKey;
    BlockHandle? pendingHandle;
    long position;

    public void Add(string key, ReadOnlySpan<byte> value) => Add(Encoding.UTF8.GetBytes(key), value);

    public void Add(byte[] key, ReadOnlySpan<byte> value)
    {
        if (lastKey is not null && key.AsSpan().SequenceCompareTo(lastKey) <= 0)
            throw new InvalidOperationException($"Table keys must be added in increasing order: \"{Encoding.UTF8.GetString(key)}\" after \"{Encoding.UTF8.GetString(lastKey)}\".");
        if (pendingHandle is { } handle)
        {
            index.Add(lastKey!, EncodeHandle(handle));
            pendingHandle = null;
        }
        data.Add(key, value);
        lastKey = key;
        if (data.EstimatedSize >= SortedTable.BlockSize) FlushData();
    }

    /// <summary>Writes the last data block, the metaindex and index blocks and the footer.</summary>
    public void Finish()
    {
        FlushData();
        if (pendingHandle is { } handle) index.Add(lastKey!, EncodeHandle(handle));
        var metaIndex = WriteBlock(new BlockBuilder(1).Finish());
        var indexHandle = WriteBlock(index.Finish());
        var footer = new byte[SortedTable.FooterLength];
        using (var handles = new MemoryStream())
        {
            var coded = new CodedOutputStream(handles);
            coded.WriteUInt64(metaIndex.Offset); coded.WriteUInt64(metaIndex.Size);
            coded.WriteUInt64(indexHandle.Offset); coded.WriteUInt64(indexHandle.Size);
            coded.Flush();
            handles.ToArray().CopyTo(footer, 0);
        }
        BinaryPrimitives.WriteUInt64LittleEndian(footer.AsSpan(40), SortedTable.Magic);
        output.Write(footer);
        position += footer.Length;
    }

    void FlushData()
    {
        if (data.IsEmpty) return;
        pendingHandle = WriteBlock(data.Finish());
        data.Reset();
    }

    BlockHandle WriteBlock(byte[] contents)
    {
        var handle = new BlockHandle((ulong)position, (ulong)contents.Length);
        Span<byte> trailer = stackalloc byte[SortedTable.BlockTrailerLength];
        trailer[0] = SortedTable.NoCompression;
        uint crc = Crc32C.Extend(Crc32C.Compute(contents), trailer[..1]);
        BinaryPrimitives.WriteUInt32LittleEndian(trailer[1..], Crc32C.Mask(crc));
        output.Write(contents);
        output.Write(trailer);
        position += contents.Length + trailer.Length;
        return handle;
    }

    static byte[] EncodeHandle(BlockHandle handle)
    {
        using var buffer = new MemoryStream();
        var coded = new CodedOutputStream(buffer);
        coded.WriteUInt64(handle.Offset);
        coded.WriteUInt64(handle.Size);
        coded.Flush();
        return buffer.ToArray();
    }

    /// <summary>One block: entries (shared, unshared, value length as varint32, key suffix, value), restarts, count.</summary>
    sealed class BlockBuilder(int restartInterval)
    {
        readonly MemoryStream buffer = new();
        readonly List<uint> restarts = [0];
        byte[] previous = [];
        int sinceRestart;

        public bool IsEmpty => buffer.Length == 0;

        public long EstimatedSize => buffer.Length + (restarts.Count + 1) * 4;

        public void Add(byte[] key, ReadOnlySpan<byte> value)
        {
            int shared = 0;
            if (sinceRestart < restartInterval)
            {
                int max = Math.Min(previous.Length, key.Length);
                while (shared < max && previous[shared] == key[shared]) shared++;
            }
            else
            {
                restarts.Add((uint)buffer.Length);
                sinceRestart = 0;
            }
            var coded = new CodedOutputStream(buffer, leaveOpen: true);
            coded.WriteUInt32((uint)shared);
            coded.WriteUInt32((uint)(key.Length - shared));
            coded.WriteUInt32((uint)value.Length);
            coded.Flush();
            buffer.Write(key, shared, key.Length - shared);
            buffer.Write(value);
            previous = key;
            sinceRestart++;
        }

        public byte[] Finish()
        {
            Span<byte> word = stackalloc byte[4];
            foreach (var r in restarts)
            {
                BinaryPrimitives.WriteUInt32LittleEndian(word, r);
                buffer.Write(word);
            }
            BinaryPrimitives.WriteUInt32LittleEndian(word, (uint)restarts.Count);
            buffer.Write(word);
            return buffer.ToArray();
        }

        public void Reset()
        {
            buffer.SetLength(0);
            restarts.Clear();
            restarts.Add(0);
            previous = [];
            sinceRestart = 0;
        }
    }
}
