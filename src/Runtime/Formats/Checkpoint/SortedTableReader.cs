using System.Buffers.Binary;
using System.Text;
using Google.Protobuf;

namespace Layerwise.Formats.Checkpoint;

/// <summary>
/// Reads every entry of a LevelDB-format table held in memory (a bundle index is small), checking
/// as it goes: footer magic, handles inside the file, block CRCs, entry bounds, restart arrays, and
/// keys in strictly increasing order. Any violation is a <see cref="CorruptCheckpointException"/>
/// naming <paramref name="path"/>; nothing is allocated from a size read in the file before that
/// size is checked against the bytes that are there.
/// </summary>
internal sealed class SortedTableReader(byte[] file, string path)
{
    public static List<KeyValuePair<string, byte[]>> ReadAll(byte[] file, string path) => new SortedTableReader(file, path).ReadAll();

    List<KeyValuePair<string, byte[]>> ReadAll()
    {
        if (file.Length < SortedTable.FooterLength)
            throw Corrupt($"it is {file.Length} bytes long, shorter than the {SortedTable.FooterLength}-byte table footer (truncated?)");
        var footer = file.AsSpan(file.Length - SortedTable.FooterLength);
        ulong magic = BinaryPrimitives.ReadUInt64LittleEndian(footer[40..]);
        if (magic != SortedTable.Magic)
            throw Corrupt($"its footer ends with 0x{magic:x16}, not the table magic number 0x{SortedTable.Magic:x16} (truncated, or not an index file)");
        var handles = new CodedInputStream(footer[..40].ToArray());
        BlockHandle metaIndex, index;
        try
        {
            metaIndex = new BlockHandle(handles.ReadUInt64(), handles.ReadUInt64());
            index = new BlockHandle(handles.ReadUInt64(), handles.ReadUInt64());
        }
        catch (InvalidProtocolBufferException e)
        {
            throw Corrupt("its footer's block handles do not parse", inner: e);
        }
        _ = ReadBlock(metaIndex, "metaindex block");
        var result = new List<KeyValuePair<string, byte[]>>();
        byte[]? previous = null;
        foreach (var (indexKey, handleBytes) in Entries(ReadBlock(index, "index block"), "index block"))
        {
            BlockHandle dataHandle;
            try
            {
                var coded = new CodedInputStream(handleBytes);
                dataHandle = new BlockHandle(coded.ReadUInt64(), coded.ReadUInt64());
            }
            catch (InvalidProtocolBufferException e)
            {
                throw Corrupt($"the index entry \"{Encoding.UTF8.GetString(indexKey)}\" holds no valid block handle", inner: e);
            }
            string where = $"data block at offset {dataHandle.Offset}";
            foreach (var (key, value) in Entries(ReadBlock(dataHandle, where), where))
            {
                if (previous is not null && key.AsSpan().SequenceCompareTo(previous) <= 0)
                    throw Corrupt($"its keys are not in increasing order at \"{Encoding.UTF8.GetString(key)}\" ({where})");
                if (key.AsSpan().SequenceCompareTo(indexKey) > 0)
                    throw Corrupt($"key \"{Encoding.UTF8.GetString(key)}\" lies beyond its block's index key ({where})");
                previous = key;
                result.Add(new(Encoding.UTF8.GetString(key), value));
            }
        }
        return result;
    }

    /// <summary>The contents of a block after checking that it lies in the file and that its CRC matches.</summary>
    ReadOnlyMemory<byte> ReadBlock(BlockHandle handle, string what)
    {
        ulong limit = (ulong)(file.Length - SortedTable.FooterLength);
        if (handle.Offset > limit || handle.Size > limit - handle.Offset || handle.Offset + handle.Size + SortedTable.BlockTrailerLength > limit)
            throw Corrupt($"its {what} (offset {handle.Offset}, {handle.Size} bytes) extends past the end of the file (truncated?)");
        var contents = file.AsMemory((int)handle.Offset, (int)handle.Size);
        var trailer = file.AsSpan((int)(handle.Offset + handle.Size), SortedTable.BlockTrailerLength);
        uint expected = Crc32C.Unmask(BinaryPrimitives.ReadUInt32LittleEndian(trailer[1..]));
        uint actual = Crc32C.Extend(Crc32C.Compute(contents.Span), trailer[..1]);
        if (expected != actual)
            throw new CheckpointChecksumException(
                $"Checkpoint index \"{path}\" is corrupt: the CRC-32C of its {what} is 0x{actual:x8}, but 0x{expected:x8} was recorded when it was written.",
                path, null, expected, actual);
        if (trailer[0] != SortedTable.NoCompression)
            throw Corrupt(trailer[0] == SortedTable.SnappyCompression
                ? $"its {what} is Snappy-compressed, which this reader does not support (TensorFlow writes bundle indexes uncompressed)"
                : $"its {what} has unknown compression type {trailer[0]}");
        return contents;
    }

    /// <summary>The entries of a block, keys rebuilt from their shared prefixes.</summary>
    IEnumerable<(byte[] Key, byte[] Value)> Entries(ReadOnlyMemory<byte> block, string what)
    {
        if (block.Length < 4) throw Corrupt($"its {what} is {block.Length} bytes, too short for a restart count");
        uint restarts = BinaryPrimitives.ReadUInt32LittleEndian(block.Span[^4..]);
        if (restarts == 0 || restarts > (uint)(block.Length - 4) / 4)
            throw Corrupt($"its {what} declares {restarts} restart points, impossible in {block.Length} bytes");
        int end = block.Length - 4 - (int)restarts * 4;
        var bytes = block[..end].ToArray();
        byte[] previous = [];
        var entries = new List<(byte[], byte[])>();
        int position = 0;
        while (position < end)
        {
            uint shared, unshared, valueLength;
            try
            {
                // Three varint32s take at most 15 bytes.
                var header = new CodedInputStream(bytes, position, Math.Min(15, end - position));
                long before = header.Position;
                shared = header.ReadUInt32();
                unshared = header.ReadUInt32();
                valueLength = header.ReadUInt32();
                position += (int)(header.Position - before);
            }
            catch (InvalidProtocolBufferException e)
            {
                throw Corrupt($"the entry header at byte {position} of its {what} does not parse", inner: e);
            }
            if (shared > previous.Length || (ulong)unshared + valueLength > (ulong)(end - position))
                throw Corrupt($"the entry at byte {position} of its {what} claims more bytes than the block holds");
            var key = new byte[shared + unshared];
            previous.AsSpan(0, (int)shared).CopyTo(key);
            bytes.AsSpan(position, (int)unshared).CopyTo(key.AsSpan((int)shared));
            position += (int)unshared;
            var value = bytes.AsSpan(position, (int)valueLength).ToArray();
            position += (int)valueLength;
            entries.Add((key, value));
            previous = key;
        }
        return entries;
    }

    CorruptCheckpointException Corrupt(string detail, Exception? inner = null) =>
        new($"Checkpoint index \"{path}\" is corrupt: {detail}.", path, null, inner);
}
