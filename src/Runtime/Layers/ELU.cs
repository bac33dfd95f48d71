using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Layerwise.Layers;

/// <summary>
/// Keras' <c>ELU</c> layer: x for x &gt; 0, <c>alpha · (exp(x) − 1)</c> otherwise. Unlike the
/// <c>"elu"</c> activation (alpha 1), the layer carries its own alpha (config key <c>alpha</c>).
/// </summary>
[Layer(Module = "keras.layers")]
public partial class ELU : Layer
{
    /// <summary>Creates the layer with Keras' arguments and defaults (<c>keras.layers.ELU</c>).</summary>
    /// <param name="alpha">Scale of the negative part, <c>alpha · (exp(x) - 1)</c> for x &lt; 0 (Keras'
    /// <c>alpha</c>).</param>
    /// <param name="inputShape">Per-sample input shape (batch left out; -1 for an unknown dimension), Keras'
    /// <c>input_shape</c>: lets a model build this layer before the first call. Null: built from the first
    /// input.</param>
    /// <param name="name">Layer name (Keras' <c>name</c>), unique within a model; weight paths in saved files start
    /// with it. Null: Keras' automatic name (snake_case class name plus a counter, e.g. <c>dense_1</c>).</param>
    /// <param name="trainable">Whether training updates this layer's weights (Keras' <c>trainable</c>).</param>
    public ELU(double alpha = 1.0, long[]? inputShape = null, string? name = null, bool trainable = true)
        : base(name, trainable, inputShape)
    {
        if (!double.IsFinite(alpha)) throw new ArgumentOutOfRangeException(nameof(alpha), alpha, "alpha must be a finite number.");
        Alpha = alpha;
    }

    /// <summary>Scale of the negative part, <c>alpha · (exp(x) - 1)</c> for x &lt; 0 (Keras' <c>alpha</c>).</summary>
    public double Alpha { get; }

    /// <summary>An input mask passes through unchanged (Keras' <c>supports_masking</c>).</summary>
    public override bool SupportsMasking => true;

    /// <inheritdoc/>
    public override Tensor Call(Tensor inputs, bool training = false) => F.elu(inputs, Alpha);
}
