namespace Layerwise.Layers;

/// <summary>Where height, width and channels are in an image batch (rank 4) of a data format; shared by the image preprocessing layers.</summary>
internal readonly record struct ImageAxes(int Height, int Width, int Channels)
{
    public static ImageAxes Of(string dataFormat) => dataFormat == "channels_last" ? new(1, 2, 3) : new(2, 3, 1);

    /// <summary>Fails unless <paramref name="inputShape"/> (per sample) is an image: [height, width, channels] or its channels_first form.</summary>
    public static void RequireImage(string layerName, long[] inputShape)
    {
        if (inputShape.Length != 3)
            throw new IncompatibleShapeException(layerName, "a batch of images of rank 4 (batch, height, width, channels)", [-1, .. inputShape]);
    }

    /// <summary>The per-sample shape with height and width replaced.</summary>
    public long[] Resized(long[] inputShape, long height, long width)
    {
        var output = inputShape.ToArray();
        output[Height - 1] = height;
        output[Width - 1] = width;
        return output;
    }
}
