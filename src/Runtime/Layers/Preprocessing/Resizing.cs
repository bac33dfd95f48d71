using static TorchSharp.torch;

namespace Layerwise.Layers;

/// <summary>
/// Keras' <c>Resizing</c>: resizes image batches to <see cref="Height"/> × <see cref="Width"/> with
/// TensorFlow's <c>tf.image.resize</c> semantics (see <see cref="ImageResize"/>); with
/// <see cref="CropToAspectRatio"/>, the largest centred window of the target's aspect ratio is taken first.
/// Interpolations: <c>bilinear</c> (default) and <c>nearest</c>; Keras' others (bicubic, area, lanczos, ...)
/// are refused, since torch's versions give other values than TensorFlow's.
/// </summary>
[Layer(Module = "keras.layers")]
public partial class Resizing : Layer
{
    /// <summary>Creates the layer with Keras' arguments and defaults (<c>keras.layers.Resizing</c>).</summary>
    /// <param name="height">Height of the output images, in pixels (Keras' <c>height</c>).</param>
    /// <param name="width">Width of the output images, in pixels (Keras' <c>width</c>).</param>
    /// <param name="interpolation">Keras' <c>interpolation</c>: <c>bilinear</c> or <c>nearest</c>.</param>
    /// <param name="cropToAspectRatio">Whether to crop the largest centred window of the target's aspect ratio first,
    /// instead of distorting (Keras' <c>crop_to_aspect_ratio</c>).</param>
    /// <param name="dataFormat">Keras' <c>data_format</c>: <c>channels_last</c> (batch, spatial..., channels) or
    /// <c>channels_first</c> (batch, channels, spatial...). Null: <c>channels_last</c>.</param>
    /// <param name="inputShape">Per-sample input shape (batch left out; -1 for an unknown dimension), Keras'
    /// <c>input_shape</c>: lets a model build this layer before the first call. Null: built from the first
    /// input.</param>
    /// <param name="name">Layer name (Keras' <c>name</c>), unique within a model; weight paths in saved files start
    /// with it. Null: Keras' automatic name (snake_case class name plus a counter, e.g. <c>dense_1</c>).</param>
    /// <param name="trainable">Whether training updates this layer's weights (Keras' <c>trainable</c>).</param>
    public Resizing(int height, int width, string interpolation = "bilinear", bool cropToAspectRatio = false, string? dataFormat = null,
                    long[]? inputShape = null, string? name = null, bool trainable = true)
        : base(name, trainable, inputShape)
    {
        if (height <= 0 || width <= 0)
            throw new ArgumentException($"Resizing needs a positive height and width; received {height} x {width}.");
        if (!ImageResize.Interpolations.Contains(interpolation))
            throw new ArgumentException($"Resizing interpolation \"{interpolation}\" is not supported; expected one of: {string.Join(", ", ImageResize.Interpolations)}.", nameof(interpolation));
        Height = height;
        Width = width;
        Interpolation = interpolation;
        CropToAspectRatio = cropToAspectRatio;
        DataFormat = ConvolutionArithmetic.DataFormat(dataFormat);
    }

    /// <summary>Height of the output images, in pixels (Keras' <c>height</c>).</summary>
    public int Height { get; }
    /// <summary>Width of the output images, in pixels (Keras' <c>width</c>).</summary>
    public int Width { get; }
    /// <summary>
    /// Interpolation of the resampling (Keras' <c>interpolation</c>): <c>nearest</c> or <c>bilinear</c>.
    /// </summary>
    public string Interpolation { get; }
    /// <summary>
    /// Whether the largest centred window of the target's aspect ratio is cropped first, instead of distorting (Keras'
    /// <c>crop_to_aspect_ratio</c>).
    /// </summary>
    public bool CropToAspectRatio { get; }
    /// <summary>
    /// Keras' <c>data_format</c>: <c>channels_last</c> (batch, spatial..., channels) or <c>channels_first</c> (batch,
    /// channels, spatial...).
    /// </summary>
    public string DataFormat { get; }

    ImageAxes Axes => ImageAxes.Of(DataFormat);

    /// <inheritdoc/>
    protected override void Build(long[] inputShape) => ImageAxes.RequireImage(Name, inputShape);

    /// <inheritdoc/>
    public override Tensor Call(Tensor inputs, bool training = false) =>
        ImageResize.Resize(inputs, Height, Width, Interpolation, Axes, CropToAspectRatio);

    /// <inheritdoc/>
    public override long[] ComputeOutputShape(long[] inputShape)
    {
        ImageAxes.RequireImage(Name, inputShape);
        return Axes.Resized(inputShape, Height, Width);
    }
}
