using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Layerwise.Layers;

/// <summary>
/// Keras' <c>Dropout</c>: in training, zeroes a fraction <see cref="Rate"/> of inputs and scales the
/// rest by 1/(1-rate); at inference, passes inputs through. Masks come from torch's generator, so
/// <see cref="Backend.SetRandomSeed"/> makes them reproducible.
/// </summary>
[Layer(Module = "keras.layers")]
public partial class Dropout : Layer
{
    public Dropout(double rate, long[]? inputShape = null, string? name = null, bool trainable = true)
        : base(name, trainable, inputShape)
    {
        if (rate is < 0 or >= 1 || double.IsNaN(rate))
            throw new ArgumentOutOfRangeException(nameof(rate), rate, "Dropout rate must be in [0, 1).");
        Rate = rate;
    }

    public double Rate { get; }

    /// <summary>An input mask passes through unchanged (Keras' <c>supports_masking</c>).</summary>
    public override bool SupportsMasking => true;

    public override Tensor Call(Tensor inputs, bool training = false) =>
        training && Rate > 0 ? F.dropout(inputs, Rate, training: true) : inputs.alias();
}
