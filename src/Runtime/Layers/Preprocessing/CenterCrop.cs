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
    public CenterCrop(int height, int width, string? dataFormat = null, long[]? inputShape = null, string? name = null, bool trainable = true)
        : base(name, trainable, inputShape)
    {
        if (height <= 0 || width <= 0)
            throw new ArgumentException($"CenterCrop needs a positive height and width; received {height} x {width}.");
        Height = height;
        Width = width;
        DataFormat = ConvolutionArithmetic.DataFormat(dataFormat);
    }

    public int Height { get; }
    public int Width { get; }
    public string DataFormat { get; }

    ImageAxes Axes => ImageAxes.Of(DataFormat);

    protected override void Build(long[] inputShape) => ImageAxes.RequireImage(Name, inputShape);

    public override Tensor Call(Tensor inputs, bool training = false)
    {
        var axes = Axes;
        long h = inputs.shape[axes.Height], w = inputs.shape[axes.Width];
        if (h < Height || w < Width)
            return ImageResize.Resize(inputs, Height, Width, "bilinear", axes, cropToAspectRatio: true);
        using var rows = inputs.narrow(axes.Height, (h - Height) / 2, Height);
        return rows.narrow(axes.Width, (w - Width) / 2, Width).contiguous();
    }

    public override long[] ComputeOutputShape(long[] inputShape)
    {
        ImageAxes.RequireImage(Name, inputShape);
        return Axes.Resized(inputShape, Height, Width);
    }
}
