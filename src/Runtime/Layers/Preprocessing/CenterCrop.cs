using static TorchSharp.torch;

namespace Layerwise.Layers;

/// <summary>
/// Keras' <c>CenterCrop</c>: the centred <see cref="Height"/> × <see cref="Width"/> window of each image
/// (start <c>(size - target) / 2</c>, rounded down). An image smaller than the target on either axis is
/// instead resized to it as Keras does (bilinear after cropping to the target's aspect ratio, Keras'
/// <c>smart_resize</c>). The same in training and inference.
/// </summary>
[Layer(Module = "keras.layers")]
public partial class CenterCrop : Layer
{
    /// <summary>Creates the layer with Keras' arguments and defaults (<c>keras.layers.CenterCrop</c>).</summary>
    /// <param name="height">Height of the output images, in pixels (Keras' <c>height</c>).</param>
    /// <param name="width">Width of the output images, in pixels (Keras' <c>width</c>).</param>
    /// <param name="dataFormat">Keras' <c>data_format</c>: <c>channels_last</c> (batch, spatial..., channels) or
    /// <c>channels_first</c> (batch, channels, spatial...). Null: <c>channels_last</c>.</param>
    /// <param name="inputShape">Per-sample input shape (batch left out; -1 for an unknown dimension), Keras'
    /// <c>input_shape</c>: lets a model build this layer before the first call. Null: built from the first
    /// input.</param>
    /// <param name="name">Layer name (Keras' <c>name</c>), unique within a model; weight paths in saved files start
    /// with it. Null: Keras' automatic name (snake_case class name plus a counter, e.g. <c>dense_1</c>).</param>
    /// <param name="trainable">Whether training updates this layer's weights (Keras' <c>trainable</c>).</param>
    public CenterCrop(int height, int width, string? dataFormat = null, long[]? inputShape = null, string? name = null, bool trainable = true)
        : base(name, trainable, inputShape)
    {
        if (height <= 0 || width <= 0)
            throw new ArgumentException($"CenterCrop needs a positive height and width; received {height} x {width}.");
        Height = height;
        Width = width;
        DataFormat = ConvolutionArithmetic.DataFormat(dataFormat);
    }

    /// <summary>Height of the output images, in pixels (Keras' <c>height</c>).</summary>
    public int Height { get; }
    /// <summary>Width of the output images, in pixels (Keras' <c>width</c>).</summary>
    public int Width { get; }
    /// <summary>
    /// Keras' <c>data_format</c>: <c>channels_last</c> (batch, spatial..., channels) or <c>channels_first</c> (batch,
    /// channels, spatial...).
    /// </summary>
    public string DataFormat { get; }

    ImageAxes Axes => ImageAxes.Of(DataFormat);

    /// <inheritdoc/>
    protected override void Build(long[] inputShape) => ImageAxes.RequireImage(Name, inputShape);

    /// <inheritdoc/>
    public override Tensor Call(Tensor inputs, bool training = false)
    {
        var axes = Axes;
        long h = inputs.shape[axes.Height], w = inputs.shape[axes.Width];
        if (h < Height || w < Width)
            return ImageResize.Resize(inputs, Height, Width, "bilinear", axes, cropToAspectRatio: true);
        using var rows = inputs.narrow(axes.Height, (h - Height) / 2, Height);
        return rows.narrow(axes.Width, (w - Width) / 2, Width).contiguous();
    }

    /// <inheritdoc/>
    public override long[] ComputeOutputShape(long[] inputShape)
    {
        ImageAxes.RequireImage(Name, inputShape);
        return Axes.Resized(inputShape, Height, Width);
    }
}
