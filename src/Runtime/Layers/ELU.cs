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
    public ELU(double alpha = 1.0, long[]? inputShape = null, string? name = null, bool trainable = true)
        : base(name, trainable, inputShape)
    {
        if (!double.IsFinite(alpha)) throw new ArgumentOutOfRangeException(nameof(alpha), alpha, "alpha must be a finite number.");
        Alpha = alpha;
    }

    public double Alpha { get; }

    /// <summary>An input mask passes through unchanged (Keras' <c>supports_masking</c>).</summary>
    public override bool SupportsMasking => true;

    public override Tensor Call(Tensor inputs, bool training = false) => F.elu(inputs, Alpha);
}
