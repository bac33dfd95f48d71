using static TorchSharp.torch;

namespace Layerwise.Layers;

/// <summary>
/// Base of Keras' random image augmentation layers (<c>RandomFlip</c>, <c>RandomRotation</c>, ...):
/// at inference they pass images through unchanged, as in Keras; in training each applies its own
/// transformation (<see cref="Augment"/>). Images are rank 4 (batch, height, width, channels), or
/// channels first with <c>data_format="channels_first"</c>. Draws come from torch's global generator,
/// so <see cref="Backend.SetRandomSeed"/> makes them reproducible; the <c>seed</c> of the config is kept
/// for the file only.
/// </summary>
public abstract class RandomAugmentation : Layer
{
    private protected RandomAugmentation(int? seed, string? dataFormat, long[]? inputShape, string? name, bool trainable)
        : base(name, trainable, inputShape)
    {
        Seed = seed;
        DataFormat = ConvolutionArithmetic.DataFormat(dataFormat);
    }

    /// <summary>
    /// Keras' <c>seed</c>, kept for the config; draws come from torch's generator
    /// (<see cref="Backend.SetRandomSeed"/>).
    /// </summary>
    public int? Seed { get; }
    /// <summary>
    /// Keras' <c>data_format</c>: <c>channels_last</c> (batch, spatial..., channels) or <c>channels_first</c> (batch,
    /// channels, spatial...).
    /// </summary>
    public string DataFormat { get; }

    private protected bool ChannelsLast => DataFormat == "channels_last";

    /// <summary>The height and width axes of a batch of images.</summary>
    private protected ImageAxes Axes => ImageAxes.Of(DataFormat);

    /// <inheritdoc/>
    protected override void Build(long[] inputShape)
    {
        if (inputShape.Length != 3)
            throw new IncompatibleShapeException(Name, $"images of rank 4 ({(ChannelsLast ? "batch, height, width, channels" : "batch, channels, height, width")})",
                                                 [-1, .. inputShape]);
    }

    /// <inheritdoc/>
    public override Tensor Call(Tensor inputs, bool training = false) => training ? Augment(inputs) : inputs.alias();

    /// <summary>The training-time transformation of a batch of images.</summary>
    private protected abstract Tensor Augment(Tensor images);

    /// <summary>One uniform draw in [lower, upper) per image, shaped [batch, 1, 1, 1] to broadcast over the image.</summary>
    private protected static Tensor PerImage(Tensor images, double lower, double upper) =>
        rand([images.shape[0], 1, 1, 1], images.dtype, images.device).mul_(upper - lower).add_(lower);
}
