using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Layerwise.Layers;

/// <summary>
/// Max and average pooling of NCHW tensors as TensorFlow computes them (Keras' backend): "same"
/// pads with TensorFlow's split (the odd pixel after); padded cells never win a max (-inf) and are
/// not counted in an average (TensorFlow divides by the window's cells inside the input). 1-D
/// pooling runs through these with a width of one.
/// </summary>
internal static class PoolingOps
{
    static readonly int[] NoDilation = [1, 1];

    public static Tensor Max(Tensor nchw, int[] pool, int[] strides, bool same)
    {
        using var scope = NewDisposeScope();
        var input = same ? ConvolutionArithmetic.PadSame(nchw, pool, strides, NoDilation, double.NegativeInfinity) ?? nchw : nchw;
        return scope.MoveToOuter(F.max_pool2d(input, [pool[0], pool[1]], [strides[0], strides[1]]));
    }

    public static Tensor Average(Tensor nchw, int[] pool, int[] strides, bool same)
    {
        using var scope = NewDisposeScope();
        var padded = same ? ConvolutionArithmetic.PadSame(nchw, pool, strides, NoDilation, 0) : null;
        if (padded is null)
            return scope.MoveToOuter(F.avg_pool2d(nchw, [pool[0], pool[1]], [strides[0], strides[1]]));
        // The mean over the cells inside the input: the window's sum of x over the window's count of real cells.
        var inside = ConvolutionArithmetic.PadSame(ones([1, 1, nchw.shape[2], nchw.shape[3]], nchw.dtype, nchw.device), pool, strides, NoDilation, 0)!;
        var sums = F.avg_pool2d(padded, [pool[0], pool[1]], [strides[0], strides[1]]);
        var counts = F.avg_pool2d(inside, [pool[0], pool[1]], [strides[0], strides[1]]);
        return scope.MoveToOuter(sums.div(counts));
    }
}
