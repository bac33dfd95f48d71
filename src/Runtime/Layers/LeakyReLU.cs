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
    /// <summary>Creates the layer with Keras' arguments and defaults (<c>keras.layers.LeakyReLU</c>).</summary>
    /// <param name="alpha">Slope for x &lt; 0 (Keras 2's <c>alpha</c>, Keras 3's <c>negative_slope</c>; default 0.3 as
    /// Keras 2).</param>
    /// <param name="inputShape">Per-sample input shape (batch left out; -1 for an unknown dimension), Keras'
    /// <c>input_shape</c>: lets a model build this layer before the first call. Null: built from the first
    /// input.</param>
    /// <param name="name">Layer name (Keras' <c>name</c>), unique within a model; weight paths in saved files start
    /// with it. Null: Keras' automatic name (snake_case class name plus a counter, e.g. <c>dense_1</c>).</param>
    /// <param name="trainable">Whether training updates this layer's weights (Keras' <c>trainable</c>).</param>
    public LeakyReLU(double alpha = 0.3, long[]? inputShape = null, string? name = null, bool trainable = true)
        : base(name, trainable, inputShape)
    {
        if (!double.IsFinite(alpha)) throw new ArgumentOutOfRangeException(nameof(alpha), alpha, "alpha must be a finite number.");
        Alpha = alpha;
    }

    /// <summary>Slope for x &lt; 0 (Keras 2's <c>alpha</c>, Keras 3's <c>negative_slope</c>).</summary>
    public double Alpha { get; }

    /// <summary>An input mask passes through unchanged (Keras' <c>supports_masking</c>).</summary>
    public override bool SupportsMasking => true;

    /// <inheritdoc/>
    public override Tensor Call(Tensor inputs, bool training = false) => F.leaky_relu(inputs, Alpha);
}
