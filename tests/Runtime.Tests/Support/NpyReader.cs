using System.Buffers.Binary;
using System.Text.RegularExpressions;
using static TorchSharp.torch;

namespace Layerwise.Tests;

/// <summary>
/// Reads a NumPy <c>.npy</c> file (format 1.0-3.0: magic <c>\x93NUMPY</c>, version, header length,
/// a Python dict literal <c>{'descr': '&lt;f8', 'fortran_order': False, 'shape': (5, 10, 10, 3), }</c>,
/// then the raw array) into a float32 tensor. Little-endian float32/float64, C order only.
/// No library: the one on NuGet that reads .npy (NumSharp) is a whole numpy port for a 40-line format,
/// and TorchSharp has no .npy reader.
/// </summary>
internal static partial class NpyReader
{
    static readonly byte[] Magic = [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y'];

    public static Tensor Read(string path)
    {
        var bytes = File.ReadAllBytes(path);
        if (bytes.Length < 12 || !bytes.AsSpan(0, 6).SequenceEqual(Magic))
            throw new InvalidDataException($"{path}: not a .npy file (no \\x93NUMPY magic).");
        bool version1 = bytes[6] == 1;
        int headerStart = version1 ? 10 : 12;
        int headerLength = version1 ? BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(8)) : checked((int)BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(8)));
        var header = System.Text.Encoding.Latin1.GetString(bytes, headerStart, headerLength);
        var descr = Descr().Match(header).Groups[1].Value;
        if (FortranOrder().Match(header).Groups[1].Value != "False")
            throw new InvalidDataException($"{path}: Fortran-ordered arrays are not read here.");
        long[] shape = [.. Shape().Match(header).Groups[1].Value
            .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(long.Parse)];
        int count = checked((int)shape.Aggregate(1L, (a, b) => a * b));
        int itemSize = descr switch
        {
            "<f8" => 8,
            "<f4" => 4,
            _ => throw new InvalidDataException($"{path}: dtype '{descr}' is not read here (expected '<f4' or '<f8')."),
        };
        var data = bytes.AsSpan(headerStart + headerLength);
        if (data.Length != (long)count * itemSize)
            throw new InvalidDataException($"{path}: {data.Length} bytes of data for {count} items of {itemSize} bytes.");
        var values = new float[count];
        for (int i = 0; i < count; i++)
            values[i] = itemSize == 8 ? (float)BinaryPrimitives.ReadDoubleLittleEndian(data[(i * 8)..]) : BinaryPrimitives.ReadSingleLittleEndian(data[(i * 4)..]);
        return tensor(values, shape);
    }

    [GeneratedRegex(@"'descr'\s*:\s*'([^']*)'")]
    private static partial Regex Descr();

    [GeneratedRegex(@"'fortran_order'\s*:\s*(True|False)")]
    private static partial Regex FortranOrder();

    [GeneratedRegex(@"'shape'\s*:\s*\(([^)]*)\)")]
    private static partial Regex Shape();
}
