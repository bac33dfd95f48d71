using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Layerwise.Layers;

/// <summary>
/// Keras' <c>MaxPooling2D</c>: the maximum over windows of <see cref="PoolSize"/>, moved by
/// <see cref="Strides"/> (the pool size by default); <c>same</c> padding ignores the border as
/// TensorFlow does (pads with -inf, the odd pixel after); <c>channels_last</c> by default.
/// </summary>
[Layer(Module = "keras.layers")]
public partial class MaxPooling2D : Layer
{
    static readonly int[] NoDilation = [1, 1];

    public MaxPooling2D(int[]? poolSize = null, int[]? strides = null, string padding = "valid", string? dataFormat = null,
                        long[]? inputShape = null, string? name = null, bool trainable = true)
        : base(name, trainable, inputShape)
    {
        PoolSize = ConvolutionArithmetic.Pair(poolSize, 2, nameof(poolSize));
        Strides = strides is null ? [.. PoolSize] : ConvolutionArithmetic.Pair(strides, 1, nameof(strides));
        Padding = ConvolutionArithmetic.Padding(padding);
        DataFormat = ConvolutionArithmetic.DataFormat(dataFormat);
    }

    public int[] PoolSize { get; }
    public int[] Strides { get; }
    public string Padding { get; }
    public string DataFormat { get; }

    bool ChannelsLast => DataFormat == "channels_last";

    protected override void Build(long[] inputShape)
    {
        if (inputShape.Length != 3)
            throw new IncompatibleShapeException(Name, "an input of rank 4 (batch, height, width, channels)", [-1, .. inputShape]);
    }

    public override Tensor Call(Tensor inputs, bool training = false)
    {
        using var scope = NewDisposeScope();
        var nchw = ChannelsLast ? inputs.permute(0, 3, 1, 2) : inputs;
        if (Padding == "same")
            nchw = ConvolutionArithmetic.PadSame(nchw, PoolSize, Strides, NoDilation, double.NegativeInfinity) ?? nchw;
        var output = F.max_pool2d(nchw, [PoolSize[0], PoolSize[1]], [Strides[0], Strides[1]]);
        if (ChannelsLast) output = output.permute(0, 2, 3, 1);
        return scope.MoveToOuter(output.contiguous());
    }

    public override long[] ComputeOutputShape(long[] inputShape)
    {
        long h = ChannelsLast ? inputShape[0] : inputShape[1];
        long w = ChannelsLast ? inputShape[1] : inputShape[2];
        long c = ChannelsLast ? inputShape[2] : inputShape[0];
        long oh = ConvolutionArithmetic.OutputLength(h, PoolSize[0], Padding, Strides[0]);
        long ow = ConvolutionArithmetic.OutputLength(w, PoolSize[1], Padding, Strides[1]);
        return ChannelsLast ? [oh, ow, c] : [c, oh, ow];
    }
}
