using System.Numerics;
using System.Runtime.InteropServices;

namespace Layerwise.Formats.Checkpoint;

/// <summary>
/// CRC-32C (Castagnoli), as LevelDB tables and TensorFlow bundles use it, and its "masked" form
/// (rotate right 15, add 0xa282ead8) that they store so that a CRC of data holding CRCs stays strong.
/// Computed with <see cref="BitOperations.Crc32C(uint, ulong)"/>: the BCL's hardware CRC-32C
/// (SSE4.2 / ARMv8 CRC) with a software fallback, so no package is needed. (System.IO.Hashing has
/// CRC-32C only from 11.0 on, which targets a newer .NET than this project.)
/// </summary>
internal static class Crc32C
{
    const uint MaskDelta = 0xa282ead8;

    /// <summary>The CRC-32C of <paramref name="data"/>.</summary>
    public static uint Compute(ReadOnlySpan<byte> data) => Extend(0, data);

    /// <summary>The CRC-32C of the bytes whose CRC is <paramref name="crc"/> followed by <paramref name="data"/>.</summary>
    public static uint Extend(uint crc, ReadOnlySpan<byte> data)
    {
        uint state = ~crc;
        var words = MemoryMarshal.Cast<byte, ulong>(data);
        foreach (var word in words) state = BitOperations.Crc32C(state, word);
        foreach (var b in data[(words.Length * sizeof(ulong))..]) state = BitOperations.Crc32C(state, b);
        return ~state;
    }

    public static uint Mask(uint crc) => ((crc >> 15) | (crc << 17)) + MaskDelta;

    public static uint Unmask(uint masked)
    {
        uint rotated = masked - MaskDelta;
        return (rotated >> 17) | (rotated << 15);
    }
}
