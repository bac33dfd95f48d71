using Layerwise.Formats.Checkpoint;
using static TorchSharp.torch;

namespace Layerwise.Tests.Formats.Checkpoint;

/// <summary>
/// VerifyAll and ReadAllInto cut large tensors into pieces for their threads (16 MiB): the pieces'
/// CRCs join to the tensor's, a bad byte in any piece is caught, and each piece lands in its place.
/// </summary>
public class BundleReaderPiecesTests : IDisposable
{
    readonly TempDirectory dir = new();
    readonly string prefix;
    readonly Tensor large = arange(10_000_003, dtype: ScalarType.Float32);   // 40 MB: three pieces
    readonly Tensor small = arange(5, dtype: ScalarType.Float32);

    public BundleReaderPiecesTests()
    {
        prefix = dir.Combine("cp");
        using var writer = new BundleWriter(prefix);
        writer.Add("large", large);
        writer.Add("small", small);
        writer.Add("empty", zeros(0));
        writer.Commit();
    }

    public void Dispose()
    {
        large.Dispose();
        small.Dispose();
        dir.Dispose();
    }

    [Fact]
    public void Every_piece_of_a_large_tensor_is_read_into_its_place()
    {
        using var reader = BundleReader.Open(prefix);
        reader.VerifyAll(["large", "small", "empty"]);
        using var largeOut = zeros(large.shape);
        using var smallOut = zeros(small.shape);
        using var emptyOut = zeros(0);
        reader.ReadAllInto([("large", largeOut), ("small", smallOut), ("empty", emptyOut)]);
        Assert.True(largeOut.equal(large).all().item<bool>());
        Assert.True(smallOut.equal(small).all().item<bool>());
    }

    [Theory]
    [InlineData(100L)]                       // first piece
    [InlineData((16L << 20) + 4)]            // second piece, just past the boundary
    [InlineData(40_000_000L)]                // last piece, near the end
    public void A_flipped_byte_in_any_piece_fails_that_tensor_s_checksum(long byteInTensor)
    {
        long offset;
        using (var reader = BundleReader.Open(prefix)) offset = reader.Entry("large").Offset + byteInTensor;
        using (var stream = File.Open(prefix + ".data-00000-of-00001", FileMode.Open))
        {
            stream.Position = offset;
            int b = stream.ReadByte();
            stream.Position = offset;
            stream.WriteByte((byte)(b ^ 0x10));
        }
        using var again = BundleReader.Open(prefix);
        var e = Assert.Throws<CheckpointChecksumException>(() => again.VerifyAll(["small", "large"]));
        Assert.Equal("large", e.Key);
    }
}
