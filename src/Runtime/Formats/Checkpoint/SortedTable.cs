namespace Layerwise.Formats.Checkpoint;

/// <summary>
/// Constants of the LevelDB table format ("SSTable") that TensorFlow uses for a bundle's index:
/// a file of blocks (sorted key/value entries with shared-prefix compression and restart points),
/// each followed by a 5-byte trailer (compression type, masked CRC-32C of block and type byte),
/// then a metaindex block, an index block (one entry per data block: a key at or after its last
/// key, and its handle), and a 48-byte footer (two handles, padding, magic number).
/// </summary>
internal static class SortedTable
{
    public const ulong Magic = 0xdb4775248b80fb57UL;
    public const int FooterLength = 48;
    public const int BlockTrailerLength = 5;
    public const byte NoCompression = 0;
    public const byte SnappyCompression = 1;

    /// <summary>Entries between restart points in data blocks (TensorFlow's default).</summary>
    public const int RestartInterval = 16;

    /// <summary>Size at which a data block is closed (TensorFlow's table default, 256 KiB).</summary>
    public const int BlockSize = 256 * 1024;
}

/// <summary>Where a block is in the table: offset and size, both varint64 on disk.</summary>
internal readonly record struct BlockHandle(ulong Offset, ulong Size);
