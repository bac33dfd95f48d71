using static TorchSharp.torch;

namespace Layerwise.Layers;

/// <summary>
/// Keras' <c>ReLU</c> layer: <c>max_value</c> for x ≥ max_value, x for threshold ≤ x &lt; max_value,
/// <c>negative_slope · (x − threshold)</c> below the threshold. The defaults give the plain relu.
/// </summary>
[Layer(Module = "keras.layers")]
public partial class ReLU : Layer
{
    public ReLU(double? maxValue = null, double negativeSlope = 0.0, double threshold = 0.0,
                long[]? inputShape = null, string? name = null, bool trainable = true)
        : base(name, trainable, inputShape)
    {
        if (maxValue is < 0) throw new ArgumentOutOfRangeException(nameof(maxValue), maxValue, "max_value must be >= 0.");
        if (negativeSlope < 0) throw new ArgumentOutOfRangeException(nameof(negativeSlope), negativeSlope, "negative_slope must be >= 0.");
        MaxValue = maxValue;
        NegativeSlope = negativeSlope;
        Threshold = threshold;
    }

    public double? MaxValue { get; }
    public double NegativeSlope { get; }
    public double Threshold { get; }

    /// <summary>An input mask passes through unchanged (Keras' <c>supports_masking</c>).</summary>
    public override bool SupportsMasking => true;

    public override Tensor Call(Tensor inputs, bool training = false)
    {
        using var scope = NewDisposeScope();
        var below = inputs.lt(Threshold);
        var negative = NegativeSlope == 0 ? zeros_like(inputs) : inputs.sub(Threshold).mul(NegativeSlope);
        var result = where(below, negative, inputs);
        if (MaxValue is { } max) result = result.clamp_max(max);
        return scope.MoveToOuter(result);
    }
}
