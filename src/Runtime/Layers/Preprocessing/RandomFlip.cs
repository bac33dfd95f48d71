using static TorchSharp.torch;

namespace Layerwise.Layers;

/// <summary>
/// Keras' <c>RandomFlip</c>: in training, flips each image left-right (<c>horizontal</c>), upside down
/// (<c>vertical</c>) or each of the two independently (<c>horizontal_and_vertical</c>, the default),
/// each with probability 1/2; at inference, passes images through.
/// </summary>
[Layer(Module = "keras.layers")]
public partial class RandomFlip : RandomAugmentation
{
    /// <summary>Creates the layer with Keras' arguments and defaults (<c>keras.layers.RandomFlip</c>).</summary>
    /// <param name="mode">Keras' <c>mode</c>: <c>horizontal</c>, <c>vertical</c> or
    /// <c>horizontal_and_vertical</c>.</param>
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
    public RandomFlip(string mode = "horizontal_and_vertical", int? seed = null, string? dataFormat = null,
                      long[]? inputShape = null, string? name = null, bool trainable = true)
        : base(seed, dataFormat, inputShape, name, trainable)
    {
        if (mode is not ("horizontal" or "vertical" or "horizontal_and_vertical"))
            throw new ArgumentException($"RandomFlip's mode must be horizontal, vertical or horizontal_and_vertical; received \"{mode}\".", nameof(mode));
        Mode = mode;
    }

    /// <summary>Keras' <c>mode</c>: <c>horizontal</c>, <c>vertical</c> or <c>horizontal_and_vertical</c>.</summary>
    public string Mode { get; }

    private protected override Tensor Augment(Tensor images)
    {
        using var scope = NewDisposeScope();
        var (heightAxis, widthAxis) = (Axes.Height, Axes.Width);
        var result = images;
        if (Mode != "vertical") result = FlipSome(result, widthAxis);
        if (Mode != "horizontal") result = FlipSome(result, heightAxis);
        return scope.MoveToOuter(result.contiguous());
    }

    /// <summary>Flips along <paramref name="axis"/> the images whose draw is below 1/2.</summary>
    static Tensor FlipSome(Tensor images, int axis)
    {
        var flip = rand([images.shape[0], 1, 1, 1], images.dtype, images.device).lt(0.5);
        return where(flip, images.flip(axis), images);
    }
}
