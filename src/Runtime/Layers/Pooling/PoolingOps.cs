using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Layerwise.Layers;

/// <summary>
/// Max and average pooling of channels-first tensors with one to three spatial axes as TensorFlow
/// computes them (Keras' backend): "same" pads with TensorFlow's split (the odd cell after); padded
/// cells never win a max (-inf) and are not counted in an average (TensorFlow divides by the
/// window's cells inside the input). 1-D pooling runs as 2-D pooling with a width of one.
/// </summary>
internal static class PoolingOps
{
    public static Tensor Max(Tensor input, int[] pool, int[] strides, bool same)
    {
        if (pool.Length == 1) return Max(input.unsqueeze(3), [pool[0], 1], [strides[0], 1], same).squeeze(3);
        using var scope = NewDisposeScope();
        var padded = same ? ConvolutionArithmetic.PadSame(input, pool, strides, NoDilation(pool), double.NegativeInfinity) ?? input : input;
        return scope.MoveToOuter(MaxPool(padded, pool, strides));
    }

    public static Tensor Average(Tensor input, int[] pool, int[] strides, bool same)
    {
        if (pool.Length == 1) return Average(input.unsqueeze(3), [pool[0], 1], [strides[0], 1], same).squeeze(3);
        using var scope = NewDisposeScope();
        var padded = same ? ConvolutionArithmetic.PadSame(input, pool, strides, NoDilation(pool), 0) : null;
        if (padded is null) return scope.MoveToOuter(AveragePool(input, pool, strides));
        // The mean over the cells inside the input: the window's mean of x over the window's share of real cells.
        var inside = ConvolutionArithmetic.PadSame(ones([1, 1, .. input.shape[2..]], input.dtype, input.device), pool, strides, NoDilation(pool), 0)!;
        return scope.MoveToOuter(AveragePool(padded, pool, strides).div(AveragePool(inside, pool, strides)));
    }

    static int[] NoDilation(int[] pool) => [.. pool.Select(_ => 1)];

    static Tensor MaxPool(Tensor input, int[] pool, int[] strides) => pool.Length == 2
        ? F.max_pool2d(input, Longs(pool), Longs(strides))
        : F.max_pool3d(input, Longs(pool), Longs(strides));

    static Tensor AveragePool(Tensor input, int[] pool, int[] strides) => pool.Length == 2
        ? F.avg_pool2d(input, Longs(pool), Longs(strides))
        : F.avg_pool3d(input, Longs(pool), Longs(strides));

    static long[] Longs(int[] values) => [.. values.Select(v => (long)v)];
}
