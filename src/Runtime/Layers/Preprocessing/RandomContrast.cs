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

    public AugmentationFactor Factor { get; }
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
