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

    public int Height { get; }
    public int Width { get; }
    public string Interpolation { get; }
    public bool CropToAspectRatio { get; }
    public string DataFormat { get; }

    ImageAxes Axes => ImageAxes.Of(DataFormat);

    protected override void Build(long[] inputShape) => ImageAxes.RequireImage(Name, inputShape);

    public override Tensor Call(Tensor inputs, bool training = false) =>
        ImageResize.Resize(inputs, Height, Width, Interpolation, Axes, CropToAspectRatio);

    public override long[] ComputeOutputShape(long[] inputShape)
    {
        ImageAxes.RequireImage(Name, inputShape);
        return Axes.Resized(inputShape, Height, Width);
    }
}
