namespace Layerwise.Formats.KerasArchive;

/// <summary>
/// The CRC-32 (IEEE 802.3, reflected polynomial 0xEDB88320) a zip archive records for each member,
/// computed slicing by 8 bytes. Python's <c>zipfile</c> refuses a member whose bytes do not match it;
/// .NET's <see cref="System.IO.Compression.ZipArchive"/> did not (a damaged stored member loaded with
/// wrong weights), so <see cref="KerasArchiveFile"/> checks it.
/// </summary>
internal static class ZipCrc32
{
    static readonly uint[][] Tables = BuildTables();

    /// <summary>The CRC of the bytes whose CRC is <paramref name="crc"/> followed by <paramref name="data"/> (start with 0).</summary>
    public static uint Extend(uint crc, ReadOnlySpan<byte> data)
    {
        crc = ~crc;
        var t = Tables;
        while (data.Length >= 8)
        {
            uint low = crc ^ (uint)(data[0] | data[1] << 8 | data[2] << 16 | data[3] << 24);
            crc = t[7][low & 0xff] ^ t[6][(low >> 8) & 0xff] ^ t[5][(low >> 16) & 0xff] ^ t[4][low >> 24]
                ^ t[3][data[4]] ^ t[2][data[5]] ^ t[1][data[6]] ^ t[0][data[7]];
            data = data[8..];
        }
        foreach (var b in data) crc = t[0][(crc ^ b) & 0xff] ^ (crc >> 8);
        return ~crc;
    }

    static uint[][] BuildTables()
    {
        var tables = new uint[8][];
        for (int k = 0; k < 8; k++) tables[k] = new uint[256];
        for (uint i = 0; i < 256; i++)
        {
            uint c = i;
            for (int bit = 0; bit < 8; bit++) c = (c & 1) != 0 ? 0xEDB88320 ^ (c >> 1) : c >> 1;
            tables[0][i] = c;
        }
        for (int i = 0; i < 256; i++)
            for (int k = 1; k < 8; k++)
                tables[k][i] = tables[0][tables[k - 1][i] & 0xff] ^ (tables[k - 1][i] >> 8);
        return tables;
    }
}
