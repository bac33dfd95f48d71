using static TorchSharp.torch;

namespace Layerwise.Layers;

/// <summary>
/// Keras' <c>RandomContrast</c>: in training, scales each image's distance from its per-channel mean
/// by a factor drawn in [1 - lower, 1 + upper] (one number f means lower = upper = f), then clips to
/// <see cref="ValueRange"/>; at inference, passes images through. Channels last.
/// </summary>
[Layer(Module = "keras.layers")]
public partial class RandomContrast : RandomAugmentation
{
    /// <summary>Creates the layer with Keras' arguments and defaults (<c>keras.layers.RandomContrast</c>).</summary>
    /// <param name="factor">Contrast change: f for a factor in [1 - f, 1 + f], or a (lower, upper) pair (Keras'
    /// <c>factor</c>).</param>
    /// <param name="valueRange">Range of the input values, [low, high] (Keras' <c>value_range</c>); outputs are clipped
    /// to it. Null: [0, 255].</param>
    /// <param name="seed">Seed of the random generator, for reproducible draws (Keras' <c>seed</c>). Null:
    /// unseeded.</param>
    /// <param name="inputShape">Per-sample input shape (batch left out; -1 for an unknown dimension), Keras'
    /// <c>input_shape</c>: lets a model build this layer before the first call. Null: built from the first
    /// input.</param>
    /// <param name="name">Layer name (Keras' <c>name</c>), unique within a model; weight paths in saved files start
    /// with it. Null: Keras' automatic name (snake_case class name plus a counter, e.g. <c>dense_1</c>).</param>
    /// <param name="trainable">Whether training updates this layer's weights (Keras' <c>trainable</c>).</param>
    public RandomContrast(AugmentationFactor factor, double[]? valueRange = null, int? seed = null,
                          long[]? inputShape = null, string? name = null, bool trainable = true)
        : base(seed, null, inputShape, name, trainable)
    {
        ArgumentNullException.ThrowIfNull(factor);
        if (factor.Lower < 0 || factor.Upper > 1)
            throw new ArgumentOutOfRangeException(nameof(factor), factor.ToString(), "RandomContrast's factor must lie within [0, 1].");
        Factor = factor;
        ValueRange = ValueRanges.Check(valueRange, nameof(valueRange));
    }

    /// <summary>
    /// Contrast change: f for a factor in [1 - f, 1 + f], or a (lower, upper) pair (Keras' <c>factor</c>).
    /// </summary>
    public AugmentationFactor Factor { get; }
    /// <summary>
    /// Range of the input values, [low, high] (Keras' <c>value_range</c>); outputs are clipped to it.
    /// </summary>
    public double[] ValueRange { get; }

    private protected override Tensor Augment(Tensor images)
    {
        using var scope = NewDisposeScope();
        var contrast = PerImage(images, 1.0 - Factor.Lower, 1.0 + Factor.Upper);
        var mean = images.mean([1L, 2L], keepdim: true);
        var adjusted = images.sub(mean).mul(contrast).add(mean).clamp(ValueRange[0], ValueRange[1]);
        return scope.MoveToOuter(adjusted);
    }
}
