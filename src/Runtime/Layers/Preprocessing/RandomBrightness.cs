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

    public AugmentationFactor Factor { get; }
    public double[] ValueRange { get; }

    private protected override Tensor Augment(Tensor images)
    {
        using var scope = NewDisposeScope();
        var (lower, upper) = Factor.Symmetric;
        var delta = PerImage(images, lower, upper).mul(ValueRange[1] - ValueRange[0]);
        return scope.MoveToOuter(images.add(delta).clamp(ValueRange[0], ValueRange[1]));
    }
}
