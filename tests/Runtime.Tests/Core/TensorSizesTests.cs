using static TorchSharp.torch;

namespace Layerwise.Tests.Core;

/// <summary>
/// <c>Sizes()</c>, the cheap shape read of the per-call checks, gives what TorchSharp's <c>shape</c> gives
/// for every rank, empty dimensions and views whose sizes differ from their storage's.
/// </summary>
public class TensorSizesTests
{
    [Fact]
    public void Sizes_are_the_tensor_shape_for_every_rank_and_view()
    {
        using var scalar = tensor(3f);
        using var vector = zeros(7);
        using var empty = zeros(0, 5);
        using var image = zeros(2, 28, 28, 1);
        using var permuted = image.permute(0, 3, 1, 2);
        using var narrowed = image.narrow(1, 3, 10);
        using var sixD = zeros([1, 2, 3, 4, 5, 6]);
        Assert.Empty(scalar.Sizes());
        Assert.Equal([7L], vector.Sizes());
        Assert.Equal([0L, 5], empty.Sizes());
        Assert.Equal([2L, 28, 28, 1], image.Sizes());
        Assert.Equal([2L, 1, 28, 28], permuted.Sizes());
        Assert.Equal([2L, 10, 28, 1], narrowed.Sizes());
        Assert.Equal([1L, 2, 3, 4, 5, 6], sixD.Sizes());
    }
}
