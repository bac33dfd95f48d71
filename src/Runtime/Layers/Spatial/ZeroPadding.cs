using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Layerwise.Layers;

/// <summary>
/// Base of Keras' <c>ZeroPadding1D/2D/3D</c>: zeros added before and after each spatial axis of
/// inputs <c>channels_last</c> (the default) or <c>channels_first</c>; unknown lengths stay unknown.
/// </summary>
public abstract class ZeroPadding : Layer
{
    private protected ZeroPadding(int rank, int[][] margins, string? dataFormat, long[]? inputShape, string? name, bool trainable)
        : base(name, trainable, inputShape)
    {
        Rank = rank;
        Margins = margins;
        DataFormat = ConvolutionArithmetic.DataFormat(dataFormat);
    }

    /// <summary>The number of spatial axes.</summary>
    public int Rank { get; }
    /// <summary>The (before, after) zeros of each spatial axis.</summary>
    public int[][] Margins { get; }
    /// <summary>
    /// Keras' <c>data_format</c>: <c>channels_last</c> (batch, spatial..., channels) or <c>channels_first</c> (batch,
    /// channels, spatial...).
    /// </summary>
    public string DataFormat { get; }

    bool ChannelsLast => DataFormat == "channels_last";

    /// <inheritdoc/>
    protected override void Build(long[] inputShape) => SpatialLayout.CheckRank(this, inputShape, Rank);

    /// <inheritdoc/>
    public override Tensor Call(Tensor inputs, bool training = false)
    {
        // F.pad lists the last axis first; channels_last has its channel axis last (no padding).
        var pads = new List<long>();
        if (ChannelsLast) pads.AddRange([0, 0]);
        for (int axis = Rank - 1; axis >= 0; axis--) pads.AddRange([Margins[axis][0], Margins[axis][1]]);
        return F.pad(inputs, [.. pads]);
    }

    /// <inheritdoc/>
    public override long[] ComputeOutputShape(long[] inputShape) =>
        SpatialLayout.WithSpatial(inputShape, ChannelsLast, null, (length, axis) => length < 0 ? -1 : length + Margins[axis][0] + Margins[axis][1]);
}
