using static TorchSharp.torch;

namespace Layerwise.Layers;

/// <summary>
/// Keras' <c>RandomTranslation</c>: shifts images by a random fraction of their height
/// (<see cref="HeightFactor"/>) and width (<see cref="WidthFactor"/>; one number f means [-f, f]),
/// in training; identity at inference.
/// </summary>
[Layer(Module = "keras.layers")]
public partial class RandomTranslation : GeometricAugmentation
{
    public RandomTranslation(AugmentationFactor heightFactor, AugmentationFactor widthFactor, string fillMode = "reflect",
                             string interpolation = "bilinear", int? seed = null, double fillValue = 0.0, string? dataFormat = null,
                             long[]? inputShape = null, string? name = null, bool trainable = true)
        : base(fillMode, interpolation, fillValue, seed, dataFormat, inputShape, name, trainable)
    {
        HeightFactor = CheckFactor(heightFactor, -1.0, 1.0, nameof(heightFactor));
        WidthFactor = CheckFactor(widthFactor, -1.0, 1.0, nameof(widthFactor));
    }

    public AugmentationFactor HeightFactor { get; }
    public AugmentationFactor WidthFactor { get; }

    /// <summary>Output (x, y) reads the input at (x - dx, y - dy), dx and dy drawn as fractions of the width and height.</summary>
    private protected override (Tensor A0, Tensor A1, Tensor A2, Tensor B0, Tensor B1, Tensor B2) DrawTransform(long count, long height, long width, Device device)
    {
        var (heightLower, heightUpper) = HeightFactor.Symmetric;
        var (widthLower, widthUpper) = WidthFactor.Symmetric;
        var dy = Uniform(count, heightLower, heightUpper, device).mul(height);
        var dx = Uniform(count, widthLower, widthUpper, device).mul(width);
        var one = ones([count], ScalarType.Float32, device);
        var zero = zeros([count], ScalarType.Float32, device);
        return (one, zero, dx.neg(), zero, one, dy.neg());
    }
}
