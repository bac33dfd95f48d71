using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Layerwise.Layers;

/// <summary>
/// Keras' <c>LeakyReLU</c> layer: x for x ≥ 0, <c>alpha · x</c> otherwise (Keras' default alpha 0.3,
/// not torch's 0.01). The config key is Keras 2's <c>alpha</c>, which Keras 3 still reads; Keras 3's
/// own <c>negative_slope</c> is renamed to it when a file is loaded.
/// </summary>
[Layer(Module = "keras.layers")]
public partial class LeakyReLU : Layer
{
    public LeakyReLU(double alpha = 0.3, long[]? inputShape = null, string? name = null, bool trainable = true)
        : base(name, trainable, inputShape)
    {
        if (!double.IsFinite(alpha)) throw new ArgumentOutOfRangeException(nameof(alpha), alpha, "alpha must be a finite number.");
        Alpha = alpha;
    }

    public double Alpha { get; }

    /// <summary>An input mask passes through unchanged (Keras' <c>supports_masking</c>).</summary>
    public override bool SupportsMasking => true;

    public override Tensor Call(Tensor inputs, bool training = false) => F.leaky_relu(inputs, Alpha);
}
