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
    /// <summary>Creates the layer with Keras' arguments and defaults (<c>keras.layers.RandomRotation</c>).</summary>
    /// <param name="factor">Rotation as a fraction of 2π: f for [-f, f] or a (lower, upper) pair (Keras'
    /// <c>factor</c>).</param>
    /// <param name="fillMode">How points outside the input are filled (Keras' <c>fill_mode</c>): <c>reflect</c>,
    /// <c>wrap</c>, <c>constant</c> or <c>nearest</c>.</param>
    /// <param name="interpolation">Interpolation of the resampling (Keras' <c>interpolation</c>): <c>nearest</c> or
    /// <c>bilinear</c>.</param>
    /// <param name="seed">Seed of the random generator, for reproducible draws (Keras' <c>seed</c>). Null:
    /// unseeded.</param>
    /// <param name="fillValue">Value of the points outside the input when <c>fill_mode</c> is <c>constant</c> (Keras'
    /// <c>fill_value</c>).</param>
    /// <param name="dataFormat">Keras' <c>data_format</c>: <c>channels_last</c> (batch, spatial..., channels) or
    /// <c>channels_first</c> (batch, channels, spatial...). Null: <c>channels_last</c>.</param>
    /// <param name="inputShape">Per-sample input shape (batch left out; -1 for an unknown dimension), Keras'
    /// <c>input_shape</c>: lets a model build this layer before the first call. Null: built from the first
    /// input.</param>
    /// <param name="name">Layer name (Keras' <c>name</c>), unique within a model; weight paths in saved files start
    /// with it. Null: Keras' automatic name (snake_case class name plus a counter, e.g. <c>dense_1</c>).</param>
    /// <param name="trainable">Whether training updates this layer's weights (Keras' <c>trainable</c>).</param>
    public RandomRotation(AugmentationFactor factor, string fillMode = "reflect", string interpolation = "bilinear", int? seed = null,
                          double fillValue = 0.0, string? dataFormat = null, long[]? inputShape = null, string? name = null, bool trainable = true)
        : base(fillMode, interpolation, fillValue, seed, dataFormat, inputShape, name, trainable)
    {
        Factor = CheckFactor(factor, -1.0, 1.0, nameof(factor));
    }

    /// <summary>Rotation as a fraction of 2π: f for [-f, f] or a (lower, upper) pair (Keras' <c>factor</c>).</summary>
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
