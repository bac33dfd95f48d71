using static TorchSharp.torch;

namespace Layerwise.Layers;

/// <summary>
/// Base of Keras' global pooling layers: reduces every spatial axis (the steps for 1-D, height and
/// width for 2-D, depth, height and width for 3-D) of inputs <c>channels_last</c> (the default) or <c>channels_first</c>, leaving
/// (batch, channels), or with <see cref="Keepdims"/> the reduced axes as ones, as Keras does.
/// </summary>
public abstract class GlobalPooling : Layer
{
    readonly int spatialRank;

    private protected GlobalPooling(int spatialRank, string? dataFormat, bool keepdims, long[]? inputShape, string? name, bool trainable)
        : base(name, trainable, inputShape)
    {
        this.spatialRank = spatialRank;
        DataFormat = ConvolutionArithmetic.DataFormat(dataFormat);
        Keepdims = keepdims;
    }

    /// <summary>
    /// Keras' <c>data_format</c>: <c>channels_last</c> (batch, spatial..., channels) or <c>channels_first</c> (batch,
    /// channels, spatial...).
    /// </summary>
    public string DataFormat { get; }
    /// <summary>Whether to keep the pooled spatial axes with size 1 (Keras' <c>keepdims</c>).</summary>
    public bool Keepdims { get; }

    bool ChannelsLast => DataFormat == "channels_last";

    /// <summary>The reduction (mean, max) over <paramref name="axes"/> of the batch.</summary>
    private protected abstract Tensor Reduce(Tensor inputs, long[] axes, bool keepdims);

    /// <inheritdoc/>
    protected override void Build(long[] inputShape)
    {
        SpatialLayout.CheckRank(this, inputShape, spatialRank);
    }

    /// <inheritdoc/>
    public override Tensor Call(Tensor inputs, bool training = false)
    {
        long first = ChannelsLast ? 1 : 2;
        long[] axes = [.. Enumerable.Range(0, spatialRank).Select(i => first + i)];
        return Reduce(inputs, axes, Keepdims);
    }

    /// <inheritdoc/>
    public override long[] ComputeOutputShape(long[] inputShape)
    {
        long channels = ChannelsLast ? inputShape[^1] : inputShape[0];
        if (!Keepdims) return [channels];
        var ones = Enumerable.Repeat(1L, spatialRank);
        return ChannelsLast ? [.. ones, channels] : [channels, .. ones];
    }
}
