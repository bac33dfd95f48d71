using Layerwise.Formats.Checkpoint;

namespace Layerwise.Tests.Formats.Checkpoint;

public class Crc32CTests
{
    /// <summary>Bit-by-bit CRC-32C, the definition the fast paths must agree with.</summary>
    static uint Reference(ReadOnlySpan<byte> data, uint crc = 0)
    {
        crc = ~crc;
        foreach (var b in data)
        {
            crc ^= b;
            for (int i = 0; i < 8; i++) crc = (crc & 1) != 0 ? (crc >> 1) ^ 0x82f63b78 : crc >> 1;
        }
        return ~crc;
    }

    [Fact]
    public void Known_answer_for_123456789_is_e3069283()
    {
        Assert.Equal(0xe3069283u, Crc32C.Compute("123456789"u8));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(12287)]
    [InlineData(12288)]
    [InlineData(12289)]
    [InlineData(16383)]
    [InlineData(16384)]
    [InlineData(16385)]
    [InlineData(16391)]
    [InlineData(100_003)]
    [InlineData(1 << 20)]
    public void Interleaved_and_plain_paths_agree_with_the_definition(int length)
    {
        var data = new byte[length];
        new Random(length).NextBytes(data);
        Assert.Equal(Reference(data), Crc32C.Compute(data));
        Assert.Equal(Reference(data, 0x12345678), Crc32C.Extend(0x12345678, data));
        int cut = length / 3;
        Assert.Equal(Crc32C.Compute(data), Crc32C.Extend(Crc32C.Compute(data.AsSpan(0, cut)), data.AsSpan(cut)));
        Assert.Equal(Crc32C.Compute(data), Crc32C.Combine(Crc32C.Compute(data.AsSpan(0, cut)), Crc32C.Compute(data.AsSpan(cut)), length - cut));
    }

    [Fact]
    public void Mask_and_unmask_are_inverse_as_in_leveldb()
    {
        uint crc = Crc32C.Compute("foo"u8);
        Assert.NotEqual(crc, Crc32C.Mask(crc));
        Assert.Equal(crc, Crc32C.Unmask(Crc32C.Mask(crc)));
        Assert.NotEqual(crc, Crc32C.Mask(Crc32C.Mask(crc)));
        Assert.Equal(crc, Crc32C.Unmask(Crc32C.Unmask(Crc32C.Mask(Crc32C.Mask(crc)))));
    }
}
