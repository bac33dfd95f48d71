using System.Buffers.Binary;
using System.Text;

namespace Layerwise.Fuzz;

/// <summary>
/// Format-blind mutations of a byte array: bit flips, overwrites with interesting values, integer
/// "lies" in places that look like lengths or offsets, truncation, extension, chunk deletion and
/// duplication. Every choice comes from the <see cref="Random"/> it is given, so a mutant is
/// reproduced from its seed alone. Each call appends what it did to <see cref="Log"/>.
/// </summary>
internal sealed class ByteMutator(Random random)
{
    /// <summary>Values that break parsers: zero, all ones, sign boundaries, powers of two.</summary>
    static readonly ulong[] InterestingWords =
    [
        0, 1, 0x7F, 0x80, 0xFF, 0x7FFF, 0x8000, 0xFFFF, 0x7FFF_FFFF, 0x8000_0000, 0xFFFF_FFFF,
        0x1_0000_0000, 0x7FFF_FFFF_FFFF_FFFF, 0x8000_0000_0000_0000, 0xFFFF_FFFF_FFFF_FFFF,
        1 << 20, 1 << 28, 1 << 30, 100_000_000,
    ];

    static readonly byte[] InterestingBytes = [0x00, 0xFF, 0x7F, 0x80, 0x01, 0xFE, 0x20, 0x22, 0x7B, 0x5B];

    /// <summary>What the mutations did, for the findings report.</summary>
    public StringBuilder Log { get; } = new();

    /// <summary>The random source every choice is drawn from.</summary>
    public Random Random => random;

    /// <summary>Applies one to three random format-blind mutations.</summary>
    public byte[] MutateAny(byte[] data)
    {
        int count = 1 + random.Next(3);
        for (int i = 0; i < count; i++) data = MutateOnce(data);
        return data;
    }

    /// <summary>One format-blind mutation chosen at random.</summary>
    public byte[] MutateOnce(byte[] data) => random.Next(9) switch
    {
        0 or 1 => FlipBits(data),
        2 => OverwriteByte(data),
        3 or 4 => IntegerLie(data),
        5 => Truncate(data),
        6 => Extend(data),
        7 => DeleteChunk(data),
        _ => DuplicateChunk(data),
    };

    /// <summary>Flips 1 to 8 random bits.</summary>
    public byte[] FlipBits(byte[] data)
    {
        if (data.Length == 0) return Extend(data);
        int bits = 1 + random.Next(8);
        for (int i = 0; i < bits; i++)
        {
            int pos = random.Next(data.Length), bit = random.Next(8);
            data[pos] ^= (byte)(1 << bit);
            Log.Append($"flip@{pos}.{bit} ");
        }
        return data;
    }

    /// <summary>Overwrites 1 to 4 random bytes with interesting values.</summary>
    public byte[] OverwriteByte(byte[] data)
    {
        if (data.Length == 0) return Extend(data);
        int n = 1 + random.Next(4);
        for (int i = 0; i < n; i++)
        {
            int pos = random.Next(data.Length);
            data[pos] = InterestingBytes[random.Next(InterestingBytes.Length)];
            Log.Append($"byte@{pos}={data[pos]:X2} ");
        }
        return data;
    }

    /// <summary>
    /// Finds a 2/4/8-byte little-endian word whose value looks like a small length, count or offset
    /// (1 .. 2^24) and replaces it with an interesting value, the file length or a multiple of it;
    /// falls back to a random position when no such word turns up.
    /// </summary>
    public byte[] IntegerLie(byte[] data)
    {
        int width = random.Next(3) switch { 0 => 2, 1 => 4, _ => 8 };
        if (data.Length < width) return Extend(data);
        int pos = -1;
        for (int tries = 0; tries < 64; tries++)
        {
            int p = random.Next(data.Length - width + 1);
            ulong v = ReadWord(data, p, width);
            if (v >= 1 && v <= 1 << 24) { pos = p; break; }
        }
        if (pos < 0) pos = random.Next(data.Length - width + 1);
        return WriteLie(data, pos, width);
    }

    /// <summary>Writes an interesting value of <paramref name="width"/> bytes at <paramref name="pos"/>.</summary>
    public byte[] WriteLie(byte[] data, int pos, int width)
    {
        if (pos < 0 || pos + width > data.Length) return data;
        ulong old = ReadWord(data, pos, width);
        ulong value = random.Next(4) switch
        {
            0 => (ulong)data.Length + (ulong)random.Next(1, 4096),
            1 => old * (ulong)(2 + random.Next(1000)),
            2 => old == 0 ? 0 : old - 1,
            _ => InterestingWords[random.Next(InterestingWords.Length)],
        };
        WriteWord(data, pos, width, value);
        Log.Append($"lie{width}@{pos}:{old}->{ReadWord(data, pos, width)} ");
        return data;
    }

    /// <summary>Cuts the data at a random length (sometimes just a few bytes short).</summary>
    public byte[] Truncate(byte[] data)
    {
        if (data.Length == 0) return data;
        int length = random.Next(3) == 0 ? Math.Max(0, data.Length - 1 - random.Next(16)) : random.Next(data.Length);
        Log.Append($"truncate {data.Length}->{length} ");
        return data[..length];
    }

    /// <summary>Appends zeros, 0xFF or random bytes (up to 64 KiB).</summary>
    public byte[] Extend(byte[] data)
    {
        int n = random.Next(3) == 0 ? random.Next(1, 65536) : random.Next(1, 64);
        var tail = new byte[n];
        int kind = random.Next(3);
        if (kind == 1) Array.Fill(tail, (byte)0xFF);
        else if (kind == 2) random.NextBytes(tail);
        Log.Append($"extend +{n}({(kind == 0 ? "00" : kind == 1 ? "FF" : "rand")}) ");
        return [.. data, .. tail];
    }

    /// <summary>Removes a random chunk (1 to 256 bytes).</summary>
    public byte[] DeleteChunk(byte[] data)
    {
        if (data.Length < 2) return Extend(data);
        int pos = random.Next(data.Length), n = Math.Min(data.Length - pos, 1 + random.Next(256));
        Log.Append($"delete@{pos}+{n} ");
        return [.. data.AsSpan(0, pos), .. data.AsSpan(pos + n)];
    }

    /// <summary>Inserts a copy of a random chunk (1 to 256 bytes) at a random position.</summary>
    public byte[] DuplicateChunk(byte[] data)
    {
        if (data.Length < 2) return Extend(data);
        int from = random.Next(data.Length), n = Math.Min(data.Length - from, 1 + random.Next(256)), to = random.Next(data.Length);
        Log.Append($"dup@{from}+{n}->{to} ");
        return [.. data.AsSpan(0, to), .. data.AsSpan(from, n), .. data.AsSpan(to)];
    }

    /// <summary>Replaces the varint that ends at or after <paramref name="pos"/> with a huge one (or makes it run on).</summary>
    public byte[] VarintLie(byte[] data, int pos)
    {
        if (data.Length == 0) return Extend(data);
        pos = Math.Clamp(pos, 0, data.Length - 1);
        int start = pos;
        while (start > 0 && data[start - 1] >= 0x80 && pos - start < 9) start--;   // back to the varint's first byte
        int end = pos;
        while (end < data.Length - 1 && data[end] >= 0x80 && end - start < 9) end++;
        byte[] replacement = random.Next(5) switch
        {
            0 => [0xFF, 0xFF, 0xFF, 0xFF, 0x07],                                         // 2^31 - 1
            1 => [0xFF, 0xFF, 0xFF, 0xFF, 0x0F],                                         // 2^32 - 1
            2 => [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01],           // 2^64 - 1 (-1 as int64)
            3 => [0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01],     // runs past 10 bytes
            _ => [(byte)(data[end] | 0x80)],                                             // continues into the next field
        };
        Log.Append($"varint@{start}..{end}->{Convert.ToHexString(replacement)} ");
        return [.. data.AsSpan(0, start), .. replacement, .. data.AsSpan(end + 1)];
    }

    static ulong ReadWord(byte[] data, int pos, int width) => width switch
    {
        2 => BinaryPrimitives.ReadUInt16LittleEndian(data.AsSpan(pos)),
        4 => BinaryPrimitives.ReadUInt32LittleEndian(data.AsSpan(pos)),
        _ => BinaryPrimitives.ReadUInt64LittleEndian(data.AsSpan(pos)),
    };

    static void WriteWord(byte[] data, int pos, int width, ulong value)
    {
        switch (width)
        {
            case 2: BinaryPrimitives.WriteUInt16LittleEndian(data.AsSpan(pos), (ushort)value); break;
            case 4: BinaryPrimitives.WriteUInt32LittleEndian(data.AsSpan(pos), (uint)value); break;
            default: BinaryPrimitives.WriteUInt64LittleEndian(data.AsSpan(pos), value); break;
        }
    }
}
