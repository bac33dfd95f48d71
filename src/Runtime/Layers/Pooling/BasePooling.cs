using static TorchSharp.torch;

namespace Layerwise.Layers;

/// <summary>
/// Keras' <c>BasePooling</c>: max and average pooling over one, two or three spatial axes
/// (<see cref="MaxPooling1D"/> ... <see cref="AveragePooling3D"/>), inputs <c>channels_last</c>
/// (the default) or <c>channels_first</c>: windows of <see cref="PoolSize"/> moved by
/// <see cref="Strides"/> (the pool size by default), <c>valid</c> or <c>same</c> padding as
/// TensorFlow computes it. Keras writes both as lists, one element per spatial axis.
/// </summary>
public abstract class BasePooling : Layer
{
    private protected BasePooling(int rank, int[]? poolSize, int[]? strides, string padding, string? dataFormat,
                                  long[]? inputShape, string? name, bool trainable)
        : base(name, trainable, inputShape)
    {
        Rank = rank;
        PoolSize = ConvolutionArithmetic.Tuple(poolSize, rank, 2, nameof(poolSize));
        Strides = strides is null ? [.. PoolSize] : ConvolutionArithmetic.Tuple(strides, rank, 1, nameof(strides));
        Padding = ConvolutionArithmetic.Padding(padding);
        DataFormat = ConvolutionArithmetic.DataFormat(dataFormat);
    }

    /// <summary>The number of spatial axes.</summary>
    public int Rank { get; }
    public int[] PoolSize { get; }
    public int[] Strides { get; }
    public string Padding { get; }
    public string DataFormat { get; }

    bool ChannelsLast => DataFormat == "channels_last";

    /// <summary>The pooling of a channels-first tensor (batch, channels, spatial...).</summary>
    private protected abstract Tensor Pool(Tensor channelsFirst);

    protected override void Build(long[] inputShape) => SpatialLayout.CheckRank(this, inputShape, Rank);

    public override Tensor Call(Tensor inputs, bool training = false)
    {
        ConvolutionArithmetic.RequireNonEmptyOutput(Name, inputs.shape, ComputeOutputShape(inputs.shape[1..]));
        using var scope = NewDisposeScope();
        var x = ChannelsLast ? inputs.permute(ConvolutionArithmetic.ToChannelsFirst(Rank)) : inputs;
        var output = Pool(x);
        if (ChannelsLast) output = output.permute(ConvolutionArithmetic.ToChannelsLast(Rank));
        return scope.MoveToOuter(output.contiguous());
    }

    public override long[] ComputeOutputShape(long[] inputShape) =>
        SpatialLayout.WithSpatial(inputShape, ChannelsLast, null,
            (length, axis) => ConvolutionArithmetic.OutputLength(length, PoolSize[axis], Padding, Strides[axis]));
}
