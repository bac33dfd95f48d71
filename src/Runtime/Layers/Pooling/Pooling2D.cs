using static TorchSharp.torch;

namespace Layerwise.Layers;

/// <summary>
/// Base of Keras' 2-D pooling layers (<see cref="MaxPooling2D"/>, <see cref="AveragePooling2D"/>):
/// windows of <see cref="PoolSize"/> moved by <see cref="Strides"/> (the pool size by default),
/// <c>valid</c> or <c>same</c> padding as TensorFlow computes it, <c>channels_last</c> by default.
/// </summary>
public abstract class Pooling2D : Layer
{
    private protected Pooling2D(int[]? poolSize, int[]? strides, string padding, string? dataFormat, long[]? inputShape, string? name, bool trainable)
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

    /// <summary>The pooling of an NCHW tensor.</summary>
    private protected abstract Tensor Pool(Tensor nchw);

    protected override void Build(long[] inputShape)
    {
        if (inputShape.Length != 3)
            throw new IncompatibleShapeException(Name, "an input of rank 4 (batch, height, width, channels)", [-1, .. inputShape]);
    }

    public override Tensor Call(Tensor inputs, bool training = false)
    {
        ConvolutionArithmetic.RequireNonEmptyOutput(Name, inputs.shape, ComputeOutputShape(inputs.shape[1..]));
        using var scope = NewDisposeScope();
        var nchw = ChannelsLast ? inputs.permute(0, 3, 1, 2) : inputs;
        var output = Pool(nchw);
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
