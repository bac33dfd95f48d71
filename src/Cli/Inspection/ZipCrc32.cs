namespace Layerwise.Cli.Inspection;

/// <summary>
/// The CRC-32 (IEEE 802.3, reflected 0xEDB88320) that zip records per member. .NET's ZipArchive does not
/// check it on read (docs/formats.md), and System.IO.Hashing would be a package for these few lines.
/// </summary>
internal static class ZipCrc32
{
    static readonly uint[] Table = BuildTable();

    static uint[] BuildTable()
    {
        var table = new uint[256];
        for (uint n = 0; n < 256; n++)
        {
            uint c = n;
            for (int k = 0; k < 8; k++) c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            table[n] = c;
        }
        return table;
    }

    /// <summary>The CRC-32 of everything <paramref name="stream"/> yields.</summary>
    public static uint Of(Stream stream)
    {
        uint crc = 0xFFFFFFFFu;
        var buffer = new byte[81920];
        int read;
        while ((read = stream.Read(buffer, 0, buffer.Length)) > 0)
            for (int i = 0; i < read; i++) crc = Table[(crc ^ buffer[i]) & 0xFF] ^ (crc >> 8);
        return ~crc;
    }
}
