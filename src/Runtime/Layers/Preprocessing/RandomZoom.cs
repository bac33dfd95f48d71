using static TorchSharp.torch;

namespace Layerwise.Layers;

/// <summary>
/// Keras' <c>RandomZoom</c>: zooms images in or out by a random fraction of their height
/// (<see cref="HeightFactor"/>; negative zooms in) and width (<see cref="WidthFactor"/>, by default the
/// height's draw, keeping the aspect ratio), in training; identity at inference. Keras' sign
/// convention: a factor above 0 zooms out, below 0 zooms in.
/// </summary>
[Layer(Module = "keras.layers")]
public partial class RandomZoom : GeometricAugmentation
{
    public RandomZoom(AugmentationFactor heightFactor, AugmentationFactor? widthFactor = null, string fillMode = "reflect",
                      string interpolation = "bilinear", int? seed = null, double fillValue = 0.0, string? dataFormat = null,
                      long[]? inputShape = null, string? name = null, bool trainable = true)
        : base(fillMode, interpolation, fillValue, seed, dataFormat, inputShape, name, trainable)
    {
        HeightFactor = CheckFactor(heightFactor, -1.0, double.PositiveInfinity, nameof(heightFactor));
        WidthFactor = widthFactor is null ? null : CheckFactor(widthFactor, -1.0, double.PositiveInfinity, nameof(widthFactor));
    }

    public AugmentationFactor HeightFactor { get; }
    public AugmentationFactor? WidthFactor { get; }

    /// <summary>Keras' zoom matrix: output (x, y) reads the input at (zx·x + (w - 1)/2·(1 - zx), zy·y + (h - 1)/2·(1 - zy)).</summary>
    private protected override (Tensor A0, Tensor A1, Tensor A2, Tensor B0, Tensor B1, Tensor B2) DrawTransform(long count, long height, long width, Device device)
    {
        var (heightLower, heightUpper) = HeightFactor.Symmetric;
        var zy = Uniform(count, 1 + heightLower, 1 + heightUpper, device);
        var zx = WidthFactor is null ? zy : Uniform(count, 1 + WidthFactor.Symmetric.Lower, 1 + WidthFactor.Symmetric.Upper, device);
        var zero = zeros([count], ScalarType.Float32, device);
        return (zx, zero, zx.neg().add(1).mul((width - 1) / 2.0), zero, zy, zy.neg().add(1).mul((height - 1) / 2.0));
    }
}
