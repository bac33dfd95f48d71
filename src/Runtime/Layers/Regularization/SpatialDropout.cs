using static TorchSharp.torch;

namespace Layerwise.Layers;

/// <summary>
/// Base of Keras' <c>SpatialDropout1D/2D/3D</c>: in training, drops whole feature maps (one draw per
/// sample and channel, the same for every step or pixel) with probability <see cref="Rate"/> and
/// scales the kept ones by 1/(1-rate), as Keras' dropout with a noise shape of 1 on the spatial axes;
/// at inference, passes inputs through.
/// </summary>
public abstract class SpatialDropout : Layer
{
    private protected SpatialDropout(double rate, string? dataFormat, int spatialRank, long[]? inputShape, string? name, bool trainable)
        : base(name, trainable, inputShape)
    {
        Rate = NoiseRate.Check(rate, ClassName);
        DataFormat = ConvolutionArithmetic.DataFormat(dataFormat);
        SpatialRank = spatialRank;
    }

    /// <summary>Fraction of the channels (whole feature maps) dropped in training (Keras' <c>rate</c>).</summary>
    public double Rate { get; }

    /// <summary><c>channels_last</c> (Keras' default) or <c>channels_first</c>; where the channel axis is.</summary>
    public string DataFormat { get; }

    /// <summary>Number of spatial axes (1, 2 or 3): inputs are [batch, spatial..., channels] or [batch, channels, spatial...].</summary>
    private protected int SpatialRank { get; }

    /// <inheritdoc/>
    protected override void Build(long[] inputShape)
    {
        if (inputShape.Length != SpatialRank + 1)
            throw new IncompatibleShapeException(Name, $"an input of rank {SpatialRank + 2} (batch, {SpatialRank} spatial axes, channels)", [-1, .. inputShape]);
    }

    /// <inheritdoc/>
    public override Tensor Call(Tensor inputs, bool training = false)
    {
        if (!training || Rate == 0) return inputs.alias();
        using var scope = NewDisposeScope();
        var noiseShape = Enumerable.Repeat(1L, (int)inputs.dim()).ToArray();
        noiseShape[0] = inputs.shape[0];
        int channelAxis = DataFormat == "channels_last" ? noiseShape.Length - 1 : 1;
        noiseShape[channelAxis] = inputs.shape[channelAxis];
        var keep = bernoulli(full(noiseShape, 1 - Rate, dtype: inputs.dtype, device: inputs.device));
        return scope.MoveToOuter(inputs.mul(keep).div(1 - Rate));
    }
}
