using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Layerwise.Layers;

/// <summary>
/// Base of Keras' <c>UpSampling1D/2D/3D</c>: each spatial axis repeated <see cref="Factors"/> times
/// (nearest neighbour, what Keras' <c>repeat_elements</c> does), or for 2-D with
/// <c>bilinear</c> interpolation TensorFlow's <c>resize</c> with half-pixel centres (torch's
/// <c>align_corners=false</c> computes the same sample positions).
/// </summary>
public abstract class UpSampling : Layer
{
    private protected UpSampling(int rank, int[] factors, string? dataFormat, string interpolation, long[]? inputShape, string? name, bool trainable)
        : base(name, trainable, inputShape)
    {
        Rank = rank;
        Factors = factors;
        DataFormat = ConvolutionArithmetic.DataFormat(dataFormat);
        Interpolation = interpolation.ToLowerInvariant();
        if (Interpolation != "nearest" && (rank != 2 || Interpolation != "bilinear"))
            throw new ArgumentException(
                $"interpolation must be \"nearest\"{(rank == 2 ? " or \"bilinear\"" : "")}; received \"{interpolation}\" (other TensorFlow resize methods are not implemented).",
                nameof(interpolation));
    }

    /// <summary>The number of spatial axes.</summary>
    public int Rank { get; }
    /// <summary>The repetition of each spatial axis.</summary>
    public int[] Factors { get; }
    /// <summary>
    /// Keras' <c>data_format</c>: <c>channels_last</c> (batch, spatial..., channels) or <c>channels_first</c> (batch,
    /// channels, spatial...).
    /// </summary>
    public string DataFormat { get; }
    /// <summary>Keras' <c>interpolation</c>: <c>nearest</c> (repeat) or <c>bilinear</c>.</summary>
    public string Interpolation { get; }

    bool ChannelsLast => DataFormat == "channels_last";

    /// <inheritdoc/>
    protected override void Build(long[] inputShape) => SpatialLayout.CheckRank(this, inputShape, Rank);

    /// <inheritdoc/>
    public override Tensor Call(Tensor inputs, bool training = false)
    {
        int first = ChannelsLast ? 1 : 2;
        if (Interpolation == "bilinear")
        {
            using var scope = NewDisposeScope();
            var x = ChannelsLast ? inputs.permute(ConvolutionArithmetic.ToChannelsFirst(Rank)) : inputs;
            long[] size = [x.shape[2] * Factors[0], x.shape[3] * Factors[1]];
            var resized = F.interpolate(x, size, mode: InterpolationMode.Bilinear, align_corners: false);
            if (ChannelsLast) resized = resized.permute(ConvolutionArithmetic.ToChannelsLast(Rank));
            return scope.MoveToOuter(resized.contiguous());
        }
        var output = inputs;
        for (int axis = 0; axis < Rank; axis++)
            if (Factors[axis] != 1)
            {
                var repeated = output.repeat_interleave(Factors[axis], first + axis);
                if (!ReferenceEquals(output, inputs)) output.Dispose();
                output = repeated;
            }
        return ReferenceEquals(output, inputs) ? inputs.alias() : output;
    }

    /// <inheritdoc/>
    public override long[] ComputeOutputShape(long[] inputShape) =>
        SpatialLayout.WithSpatial(inputShape, ChannelsLast, null, (length, axis) => length < 0 ? -1 : length * Factors[axis]);
}
