using static TorchSharp.torch;

namespace Layerwise.Layers;

/// <summary>
/// Keras' <c>RandomBrightness</c>: in training, adds to each image a delta drawn in [lower, upper]
/// (one number f means [-f, f]) times the width of <see cref="ValueRange"/>, then clips to that range;
/// at inference, passes images through.
/// </summary>
[Layer(Module = "keras.layers")]
public partial class RandomBrightness : RandomAugmentation
{
    /// <summary>Creates the layer with Keras' arguments and defaults (<c>keras.layers.RandomBrightness</c>).</summary>
    /// <param name="factor">Brightness change as a fraction of the value range: f for [-f, f] or a (lower, upper) pair
    /// within [-1, 1] (Keras' <c>factor</c>).</param>
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
    public RandomBrightness(AugmentationFactor factor, double[]? valueRange = null, int? seed = null,
                            long[]? inputShape = null, string? name = null, bool trainable = true)
        : base(seed, null, inputShape, name, trainable)
    {
        ArgumentNullException.ThrowIfNull(factor);
        var (lower, upper) = factor.Symmetric;
        if (lower < -1 || upper > 1)
            throw new ArgumentOutOfRangeException(nameof(factor), factor.ToString(), "RandomBrightness's factor must lie within [-1, 1].");
        Factor = factor;
        ValueRange = ValueRanges.Check(valueRange, nameof(valueRange));
    }

    /// <summary>Brightness change as a fraction of the value range (Keras' <c>factor</c>).</summary>
    public AugmentationFactor Factor { get; }
    /// <summary>
    /// Range of the input values, [low, high] (Keras' <c>value_range</c>); outputs are clipped to it.
    /// </summary>
    public double[] ValueRange { get; }

    private protected override Tensor Augment(Tensor images)
    {
        using var scope = NewDisposeScope();
        var (lower, upper) = Factor.Symmetric;
        var delta = PerImage(images, lower, upper).mul(ValueRange[1] - ValueRange[0]);
        return scope.MoveToOuter(images.add(delta).clamp(ValueRange[0], ValueRange[1]));
    }
}
