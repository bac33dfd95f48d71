using static TorchSharp.torch;

namespace Layerwise.Layers;

/// <summary>
/// Keras' <c>RandomCrop</c>: outputs images of <see cref="Height"/> x <see cref="Width"/>. In training,
/// when the images are at least that large, a window at a random offset (one for the batch, as in
/// Keras); otherwise, and at inference, Keras' <c>smart_resize</c>: the largest centred crop with the
/// target's aspect ratio, resized bilinearly (TensorFlow's half-pixel resize, no antialiasing).
/// Images of exactly the target size pass through.
/// </summary>
[Layer(Module = "keras.layers")]
public partial class RandomCrop : RandomAugmentation
{
    /// <summary>Creates the layer with Keras' arguments and defaults (<c>keras.layers.RandomCrop</c>).</summary>
    /// <param name="height">Height of the output images, in pixels (Keras' <c>height</c>).</param>
    /// <param name="width">Width of the output images, in pixels (Keras' <c>width</c>).</param>
    /// <param name="seed">Seed of the random generator, for reproducible draws (Keras' <c>seed</c>). Null:
    /// unseeded.</param>
    /// <param name="dataFormat">Keras' <c>data_format</c>: <c>channels_last</c> (batch, spatial..., channels) or
    /// <c>channels_first</c> (batch, channels, spatial...). Null: <c>channels_last</c>.</param>
    /// <param name="inputShape">Per-sample input shape (batch left out; -1 for an unknown dimension), Keras'
    /// <c>input_shape</c>: lets a model build this layer before the first call. Null: built from the first
    /// input.</param>
    /// <param name="name">Layer name (Keras' <c>name</c>), unique within a model; weight paths in saved files start
    /// with it. Null: Keras' automatic name (snake_case class name plus a counter, e.g. <c>dense_1</c>).</param>
    /// <param name="trainable">Whether training updates this layer's weights (Keras' <c>trainable</c>).</param>
    public RandomCrop(int height, int width, int? seed = null, string? dataFormat = null,
                      long[]? inputShape = null, string? name = null, bool trainable = true)
        : base(seed, dataFormat, inputShape, name, trainable)
    {
        if (height <= 0) throw new ArgumentOutOfRangeException(nameof(height), height, "RandomCrop's height must be positive.");
        if (width <= 0) throw new ArgumentOutOfRangeException(nameof(width), width, "RandomCrop's width must be positive.");
        Height = height;
        Width = width;
    }

    /// <summary>Height of the output images, in pixels (Keras' <c>height</c>).</summary>
    public int Height { get; }
    /// <summary>Width of the output images, in pixels (Keras' <c>width</c>).</summary>
    public int Width { get; }

    /// <inheritdoc/>
    protected override void Build(long[] inputShape)
    {
        base.Build(inputShape);
        var (h, w) = ChannelsLast ? (inputShape[0], inputShape[1]) : (inputShape[1], inputShape[2]);
        if (h < 1 || w < 1)
            throw new IncompatibleShapeException(Name, "images of known height and width (RandomCrop needs them)", [-1, .. inputShape]);
    }

    /// <inheritdoc/>
    public override long[] ComputeOutputShape(long[] inputShape) =>
        ChannelsLast ? [Height, Width, inputShape[2]] : [inputShape[0], Height, Width];

    /// <inheritdoc/>
    public override Tensor Call(Tensor inputs, bool training = false)
    {
        var (heightAxis, widthAxis) = (Axes.Height, Axes.Width);
        long h = inputs.shape[heightAxis], w = inputs.shape[widthAxis];
        if (h == Height && w == Width) return inputs.alias();
        return training && h >= Height && w >= Width ? Augment(inputs) : ImageResize.Resize(inputs, Height, Width, "bilinear", Axes, cropToAspectRatio: true);   // Keras' smart_resize
    }

    /// <summary>A <see cref="Height"/> x <see cref="Width"/> window at a random offset.</summary>
    private protected override Tensor Augment(Tensor images)
    {
        var (heightAxis, widthAxis) = (Axes.Height, Axes.Width);
        long top = randint(images.shape[heightAxis] - Height + 1, [1]).item<long>();
        long left = randint(images.shape[widthAxis] - Width + 1, [1]).item<long>();
        using var rows = images.narrow(heightAxis, top, Height);
        return rows.narrow(widthAxis, left, Width).contiguous();
    }
}
