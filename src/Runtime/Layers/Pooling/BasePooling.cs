using static TorchSharp.torch;

namespace Layerwise.Layers;

/// <summary>
/// Keras' <c>BasePooling</c>: max and average pooling over one, two or three spatial axes
/// (<see cref="MaxPooling1D"/> ... <see cref="AveragePooling3D"/>), inputs <c>channels_last</c>
/// (the default) or <c>channels_first</c>: windows of <see cref="PoolSize"/> moved by
/// <see cref="Strides"/> (the pool size by default), <c>valid</c> or <c>same</c> padding as
/// TensorFlow computes it. Keras writes both as lists, one element per spatial axis.
/// </summary>
public abstract class BasePooling : Layer, IChannelsFirstLayer
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
        toChannelsFirst = ConvolutionArithmetic.ToChannelsFirst(rank);
        toChannelsLast = ConvolutionArithmetic.ToChannelsLast(rank);
    }

    readonly long[] toChannelsFirst, toChannelsLast;

    /// <summary>The number of spatial axes.</summary>
    public int Rank { get; }
    /// <summary>
    /// Size of the pooling window per spatial axis (Keras' <c>pool_size</c>); one value applies to every axis.
    /// </summary>
    public int[] PoolSize { get; }
    /// <summary>Step of the window per spatial axis (Keras' <c>strides</c>); one value applies to every axis.</summary>
    public int[] Strides { get; }
    /// <summary>
    /// Keras' <c>padding</c>: <c>valid</c> (no padding) or <c>same</c> (output size = input size / stride, TensorFlow's
    /// split).
    /// </summary>
    public string Padding { get; }
    /// <summary>
    /// Keras' <c>data_format</c>: <c>channels_last</c> (batch, spatial..., channels) or <c>channels_first</c> (batch,
    /// channels, spatial...).
    /// </summary>
    public string DataFormat { get; }

    bool ChannelsLast => DataFormat == "channels_last";

    /// <summary>The pooling of a channels-first tensor (batch, channels, spatial...).</summary>
    private protected abstract Tensor Pool(Tensor channelsFirst);

    /// <inheritdoc/>
    protected override void Build(long[] inputShape) => SpatialLayout.CheckRank(this, inputShape, Rank);

    /// <inheritdoc/>
    public override Tensor Call(Tensor inputs, bool training = false)
    {
        ConvolutionArithmetic.RequireWindowFits(this, inputs.Sizes(), ChannelsLast, PoolSize, Padding, Strides);
        using var scope = NewDisposeScope();
        var x = ChannelsLast ? inputs.permute(toChannelsFirst) : inputs;
        var output = Pool(x);
        if (ChannelsLast) output = output.permute(toChannelsLast);
        return scope.MoveToOuter(output.contiguous());
    }

    /// <summary>A subclass outside Layerwise may override Call or Pool: it runs alone.</summary>
    bool IChannelsFirstLayer.CanRunChannelsFirst => ChannelsLast && Built && ChannelsFirstRun.IsOwnType(this);

    Tensor IChannelsFirstLayer.CallChannelsFirst(Tensor channelsFirst, long[] batchShape)
    {
        CheckInputShape(batchShape);
        ConvolutionArithmetic.RequireWindowFits(this, batchShape, ChannelsLast, PoolSize, Padding, Strides);
        return ChannelsFirstRun.StoredChannelsLast(Pool(channelsFirst));
    }

    /// <inheritdoc/>
    public override long[] ComputeOutputShape(long[] inputShape) =>
        SpatialLayout.WithSpatial(inputShape, ChannelsLast, null,
            (length, axis) => ConvolutionArithmetic.OutputLength(length, PoolSize[axis], Padding, Strides[axis]));
}
