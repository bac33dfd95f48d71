using static TorchSharp.torch;

namespace Layerwise.Layers;

/// <summary>
/// Base of Keras' random geometric augmentations (<see cref="RandomRotation"/>, <see cref="RandomZoom"/>,
/// <see cref="RandomTranslation"/>): their shared config (<c>fill_mode</c>, <c>interpolation</c>,
/// <c>fill_value</c>), checks, and the warp: in training each image is moved by its own random
/// affine transform (Keras' <c>affine_transform</c>); at inference images pass through, as in Keras.
/// </summary>
public abstract class GeometricAugmentation : RandomAugmentation
{
    private protected GeometricAugmentation(string fillMode, string interpolation, double fillValue, int? seed, string? dataFormat,
                                            long[]? inputShape, string? name, bool trainable)
        : base(seed, dataFormat, inputShape, name, trainable)
    {
        if (fillMode is not ("reflect" or "wrap" or "constant" or "nearest"))
            throw new ArgumentException($"fill_mode must be reflect, wrap, constant or nearest; received \"{fillMode}\".", nameof(fillMode));
        if (interpolation is not ("bilinear" or "nearest"))
            throw new ArgumentException($"interpolation must be bilinear or nearest; received \"{interpolation}\".", nameof(interpolation));
        FillMode = fillMode;
        Interpolation = interpolation;
        FillValue = fillValue;
    }

    /// <summary>
    /// How points outside the input are filled (Keras' <c>fill_mode</c>): <c>reflect</c>, <c>wrap</c>, <c>constant</c>
    /// or <c>nearest</c>.
    /// </summary>
    public string FillMode { get; }
    /// <summary>
    /// Interpolation of the resampling (Keras' <c>interpolation</c>): <c>nearest</c> or <c>bilinear</c>.
    /// </summary>
    public string Interpolation { get; }
    /// <summary>
    /// Value of the points outside the input when <c>fill_mode</c> is <c>constant</c> (Keras' <c>fill_value</c>).
    /// </summary>
    public double FillValue { get; }

    /// <summary>Checks that a factor lies within [<paramref name="min"/>, <paramref name="max"/>], as Keras does.</summary>
    private protected static AugmentationFactor CheckFactor(AugmentationFactor factor, double min, double max, string parameter)
    {
        ArgumentNullException.ThrowIfNull(factor, parameter);
        var (lower, upper) = factor.Symmetric;
        if (lower < min || upper > max)
            throw new ArgumentOutOfRangeException(parameter, factor.ToString(), $"{parameter} must lie within [{min}, {max}].");
        return factor;
    }

    /// <summary>One affine transform per image (see <see cref="AffineWarp"/>), drawn for a batch of <paramref name="count"/> images of <paramref name="height"/> x <paramref name="width"/>.</summary>
    private protected abstract (Tensor A0, Tensor A1, Tensor A2, Tensor B0, Tensor B1, Tensor B2) DrawTransform(long count, long height, long width, Device device);

    /// <summary>Warps each image by its own random transform, filling as <see cref="FillMode"/> says.</summary>
    private protected override Tensor Augment(Tensor images)
    {
        using var scope = NewDisposeScope();
        var (heightAxis, widthAxis) = (Axes.Height, Axes.Width);
        var transform = DrawTransform(images.shape[0], images.shape[heightAxis], images.shape[widthAxis], images.device);
        return scope.MoveToOuter(AffineWarp.Apply(images, ChannelsLast, transform, FillMode, Interpolation, FillValue));
    }

    /// <summary><paramref name="count"/> uniform draws in [lower, upper).</summary>
    private protected static Tensor Uniform(long count, double lower, double upper, Device device) =>
        rand([count], ScalarType.Float32, device).mul_(upper - lower).add_(lower);
}
