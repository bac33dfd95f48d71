using static TorchSharp.torch;

namespace Layerwise.Layers;

/// <summary>
/// Base of Keras' 1-D pooling layers (<see cref="MaxPooling1D"/>, <see cref="AveragePooling1D"/>) over
/// inputs (batch, steps, features) (<c>channels_last</c>, the default) or (batch, features, steps):
/// windows of <see cref="PoolSize"/> steps moved by <see cref="Strides"/> (the pool size by default),
/// <c>valid</c> or <c>same</c> padding as TensorFlow computes it. Keras writes both as one-element lists.
/// </summary>
public abstract class Pooling1D : Layer
{
    private protected Pooling1D(int[]? poolSize, int[]? strides, string padding, string? dataFormat, long[]? inputShape, string? name, bool trainable)
        : base(name, trainable, inputShape)
    {
        PoolSize = ConvolutionArithmetic.Single(poolSize, 2, nameof(poolSize));
        Strides = strides is null ? [.. PoolSize] : ConvolutionArithmetic.Single(strides, 1, nameof(strides));
        Padding = ConvolutionArithmetic.Padding(padding);
        DataFormat = ConvolutionArithmetic.DataFormat(dataFormat);
    }

    public int[] PoolSize { get; }
    public int[] Strides { get; }
    public string Padding { get; }
    public string DataFormat { get; }

    bool ChannelsLast => DataFormat == "channels_last";

    /// <summary>The pooling of an NCHW tensor whose width is one (the steps are its height).</summary>
    private protected abstract Tensor Pool(Tensor nchw, int[] pool, int[] strides);

    protected override void Build(long[] inputShape)
    {
        if (inputShape.Length != 2)
            throw new IncompatibleShapeException(Name, "an input of rank 3 (batch, steps, features)", [-1, .. inputShape]);
    }

    public override Tensor Call(Tensor inputs, bool training = false)
    {
        ConvolutionArithmetic.RequireNonEmptyOutput(Name, inputs.shape, ComputeOutputShape(inputs.shape[1..]));
        using var scope = NewDisposeScope();
        var ncl = ChannelsLast ? inputs.permute(0, 2, 1) : inputs;
        var output = Pool(ncl.unsqueeze(3), [PoolSize[0], 1], [Strides[0], 1]).squeeze(3);
        if (ChannelsLast) output = output.permute(0, 2, 1);
        return scope.MoveToOuter(output.contiguous());
    }

    public override long[] ComputeOutputShape(long[] inputShape)
    {
        long steps = ChannelsLast ? inputShape[0] : inputShape[1];
        long features = ChannelsLast ? inputShape[1] : inputShape[0];
        long length = ConvolutionArithmetic.OutputLength(steps, PoolSize[0], Padding, Strides[0]);
        return ChannelsLast ? [length, features] : [features, length];
    }
}
