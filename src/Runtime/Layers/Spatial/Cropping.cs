using static TorchSharp.torch;

namespace Layerwise.Layers;

/// <summary>
/// Base of Keras' <c>Cropping1D/2D/3D</c>: cells removed before and after each spatial axis of
/// inputs <c>channels_last</c> (the default) or <c>channels_first</c>; cropping an axis to nothing
/// is refused, as Keras refuses it.
/// </summary>
public abstract class Cropping : Layer
{
    private protected Cropping(int rank, int[][] margins, string? dataFormat, long[]? inputShape, string? name, bool trainable)
        : base(name, trainable, inputShape)
    {
        Rank = rank;
        Margins = margins;
        DataFormat = ConvolutionArithmetic.DataFormat(dataFormat);
    }

    /// <summary>The number of spatial axes.</summary>
    public int Rank { get; }
    /// <summary>The (before, after) cells removed from each spatial axis.</summary>
    public int[][] Margins { get; }
    /// <summary>Keras' <c>data_format</c>: <c>channels_last</c> or <c>channels_first</c>.</summary>
    public string DataFormat { get; }

    bool ChannelsLast => DataFormat == "channels_last";

    /// <inheritdoc/>
    protected override void Build(long[] inputShape)
    {
        SpatialLayout.CheckRank(this, inputShape, Rank);
        ComputeOutputShape(inputShape);
    }

    /// <inheritdoc/>
    public override Tensor Call(Tensor inputs, bool training = false)
    {
        var shape = ComputeOutputShape([.. inputs.shape.Skip(1)]);
        var output = inputs;
        int first = ChannelsLast ? 1 : 2;
        for (int axis = 0; axis < Rank; axis++)
            output = output.narrow(first + axis, Margins[axis][0], shape[first - 1 + axis]);
        return output;
    }

    /// <inheritdoc/>
    public override long[] ComputeOutputShape(long[] inputShape) =>
        SpatialLayout.WithSpatial(inputShape, ChannelsLast, null, (length, axis) =>
        {
            if (length < 0) return -1;
            long kept = length - Margins[axis][0] - Margins[axis][1];
            if (kept <= 0)
                throw new IncompatibleShapeException(Name, $"spatial axis {axis + 1} longer than its cropping ({Margins[axis][0]} + {Margins[axis][1]})", [-1, .. inputShape]);
            return kept;
        });
}
