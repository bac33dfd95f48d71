namespace Layerwise.Layers;

/// <summary>
/// Where the spatial axes and the channels sit in a per-sample shape (batch left out) of a
/// <c>channels_last</c> (spatial..., channels) or <c>channels_first</c> (channels, spatial...) input,
/// shared by the convolution, pooling and resizing layers.
/// </summary>
internal static class SpatialLayout
{
    /// <summary>The spatial lengths of a per-sample shape.</summary>
    public static long[] Spatial(long[] shape, bool channelsLast) => channelsLast ? shape[..^1] : shape[1..];

    /// <summary>
    /// The channel count of a per-sample input shape of <paramref name="rank"/> spatial axes, after
    /// checking the rank and that the channels are known (Keras requires them; spatial lengths may be -1).
    /// </summary>
    public static long Channels(Layer layer, long[] inputShape, int rank, bool channelsLast)
    {
        CheckRank(layer, inputShape, rank);
        long channels = channelsLast ? inputShape[^1] : inputShape[0];
        if (channels < 0)
            throw new IncompatibleShapeException(layer.Name,
                $"the channel dimension of the inputs to a {layer.ClassName} layer to be defined (not None), since its weights depend on it", [-1, .. inputShape]);
        return channels;
    }

    /// <summary>Refuses a per-sample input shape that does not have <paramref name="rank"/> spatial axes and a channel axis.</summary>
    public static void CheckRank(Layer layer, long[] inputShape, int rank)
    {
        if (inputShape.Length != rank + 1)
            throw new IncompatibleShapeException(layer.Name, $"an input of rank {rank + 2} (batch, {ConvolutionArithmetic.SpatialAxes(rank)}, channels)", [-1, .. inputShape]);
    }

    /// <summary>
    /// The per-sample output shape: each spatial length mapped by <paramref name="length"/> (given
    /// the input length and the axis index), the channels replaced by <paramref name="channels"/>
    /// (null keeps them).
    /// </summary>
    public static long[] WithSpatial(long[] inputShape, bool channelsLast, long? channels, Func<long, int, long> length)
    {
        var spatial = Spatial(inputShape, channelsLast);
        var mapped = spatial.Select((l, axis) => length(l, axis)).ToArray();
        long c = channels ?? (channelsLast ? inputShape[^1] : inputShape[0]);
        return channelsLast ? [.. mapped, c] : [c, .. mapped];
    }
}
