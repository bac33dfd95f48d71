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
    /// <summary>Creates the layer with Keras' arguments and defaults (<c>keras.layers.RandomZoom</c>).</summary>
    /// <param name="heightFactor">Vertical zoom as a fraction of the height: f for [-f, f] or a (lower, upper) pair;
    /// positive zooms out (Keras' <c>height_factor</c>).</param>
    /// <param name="widthFactor">Horizontal zoom, alike (Keras' <c>width_factor</c>). Null: the height's zoom, keeping
    /// the aspect ratio.</param>
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
    public RandomZoom(AugmentationFactor heightFactor, AugmentationFactor? widthFactor = null, string fillMode = "reflect",
                      string interpolation = "bilinear", int? seed = null, double fillValue = 0.0, string? dataFormat = null,
                      long[]? inputShape = null, string? name = null, bool trainable = true)
        : base(fillMode, interpolation, fillValue, seed, dataFormat, inputShape, name, trainable)
    {
        HeightFactor = CheckFactor(heightFactor, -1.0, double.PositiveInfinity, nameof(heightFactor));
        WidthFactor = widthFactor is null ? null : CheckFactor(widthFactor, -1.0, double.PositiveInfinity, nameof(widthFactor));
    }

    /// <summary>Vertical zoom as a fraction of the height; positive zooms out (Keras' <c>height_factor</c>).</summary>
    public AugmentationFactor HeightFactor { get; }
    /// <summary>
    /// Horizontal zoom (Keras' <c>width_factor</c>); null: the height's zoom, keeping the aspect ratio.
    /// </summary>
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
