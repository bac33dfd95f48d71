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
    /// <summary>Creates the layer with Keras' arguments and defaults (<c>keras.layers.RandomTranslation</c>).</summary>
    /// <param name="heightFactor">Vertical shift as a fraction of the height: f for [-f, f] or a (lower, upper) pair
    /// (Keras' <c>height_factor</c>).</param>
    /// <param name="widthFactor">Horizontal shift as a fraction of the width, alike (Keras'
    /// <c>width_factor</c>).</param>
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
    public RandomTranslation(AugmentationFactor heightFactor, AugmentationFactor widthFactor, string fillMode = "reflect",
                             string interpolation = "bilinear", int? seed = null, double fillValue = 0.0, string? dataFormat = null,
                             long[]? inputShape = null, string? name = null, bool trainable = true)
        : base(fillMode, interpolation, fillValue, seed, dataFormat, inputShape, name, trainable)
    {
        HeightFactor = CheckFactor(heightFactor, -1.0, 1.0, nameof(heightFactor));
        WidthFactor = CheckFactor(widthFactor, -1.0, 1.0, nameof(widthFactor));
    }

    /// <summary>Vertical shift as a fraction of the height (Keras' <c>height_factor</c>).</summary>
    public AugmentationFactor HeightFactor { get; }
    /// <summary>Horizontal shift as a fraction of the width (Keras' <c>width_factor</c>).</summary>
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
