using static TorchSharp.torch;

namespace Layerwise.Layers;

/// <summary>
/// Keras' <c>RandomRotation</c>: rotates images by a random fraction of a full turn drawn from
/// <see cref="Factor"/> (one number f means [-f, f]) about the image centre, in training; identity at
/// inference.
/// </summary>
[Layer(Module = "keras.layers")]
public partial class RandomRotation : GeometricAugmentation
{
    public RandomRotation(AugmentationFactor factor, string fillMode = "reflect", string interpolation = "bilinear", int? seed = null,
                          double fillValue = 0.0, string? dataFormat = null, long[]? inputShape = null, string? name = null, bool trainable = true)
        : base(fillMode, interpolation, fillValue, seed, dataFormat, inputShape, name, trainable)
    {
        Factor = CheckFactor(factor, -1.0, 1.0, nameof(factor));
    }

    public AugmentationFactor Factor { get; }

    /// <summary>Keras' <c>_compute_affine_matrix</c> for a rotation by θ about ((w - 1) / 2, (h - 1) / 2).</summary>
    private protected override (Tensor A0, Tensor A1, Tensor A2, Tensor B0, Tensor B1, Tensor B2) DrawTransform(long count, long height, long width, Device device)
    {
        var (lower, upper) = Factor.Symmetric;
        var angle = Uniform(count, lower * 2 * Math.PI, upper * 2 * Math.PI, device);
        double cx = (width - 1) / 2.0, cy = (height - 1) / 2.0;
        var cos = angle.cos();
        var sin = angle.sin();
        var minusSin = sin.neg();
        return (cos, minusSin, cos.mul(-cx).sub(minusSin.mul(cy)).add(cx), sin, cos, sin.mul(-cx).sub(cos.mul(cy)).add(cy));
    }
}
