using static TorchSharp.torch;

namespace Layerwise.Layers;

/// <summary>
/// Keras' <c>ReLU</c> layer: <c>max_value</c> for x ≥ max_value, x for threshold ≤ x &lt; max_value,
/// <c>negative_slope · (x − threshold)</c> below the threshold. The defaults give the plain relu.
/// </summary>
[Layer(Module = "keras.layers")]
public partial class ReLU : Layer
{
    /// <summary>Creates the layer with Keras' arguments and defaults (<c>keras.layers.ReLU</c>).</summary>
    /// <param name="maxValue">Upper bound of the output (Keras' <c>max_value</c>). Null: unbounded.</param>
    /// <param name="negativeSlope">Slope below the threshold (Keras' <c>negative_slope</c>).</param>
    /// <param name="threshold">Values below it are zeroed or scaled by the slope (Keras' <c>threshold</c>).</param>
    /// <param name="inputShape">Per-sample input shape (batch left out; -1 for an unknown dimension), Keras'
    /// <c>input_shape</c>: lets a model build this layer before the first call. Null: built from the first
    /// input.</param>
    /// <param name="name">Layer name (Keras' <c>name</c>), unique within a model; weight paths in saved files start
    /// with it. Null: Keras' automatic name (snake_case class name plus a counter, e.g. <c>dense_1</c>).</param>
    /// <param name="trainable">Whether training updates this layer's weights (Keras' <c>trainable</c>).</param>
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

    /// <summary>Upper bound of the output (Keras' <c>max_value</c>); null: unbounded.</summary>
    public double? MaxValue { get; }
    /// <summary>Slope below the threshold (Keras' <c>negative_slope</c>).</summary>
    public double NegativeSlope { get; }
    /// <summary>Values below it are zeroed or scaled by the slope (Keras' <c>threshold</c>).</summary>
    public double Threshold { get; }

    /// <summary>An input mask passes through unchanged (Keras' <c>supports_masking</c>).</summary>
    public override bool SupportsMasking => true;

    /// <inheritdoc/>
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
