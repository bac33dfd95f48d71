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
    /// <summary>Creates the layer with Keras' arguments and defaults (<c>keras.layers.Dropout</c>).</summary>
    /// <param name="rate">Fraction of the inputs set to 0 in training, in [0, 1) (Keras' <c>rate</c>); kept ones are
    /// scaled by 1 / (1 - rate).</param>
    /// <param name="inputShape">Per-sample input shape (batch left out; -1 for an unknown dimension), Keras'
    /// <c>input_shape</c>: lets a model build this layer before the first call. Null: built from the first
    /// input.</param>
    /// <param name="name">Layer name (Keras' <c>name</c>), unique within a model; weight paths in saved files start
    /// with it. Null: Keras' automatic name (snake_case class name plus a counter, e.g. <c>dense_1</c>).</param>
    /// <param name="trainable">Whether training updates this layer's weights (Keras' <c>trainable</c>).</param>
    public Dropout(double rate, long[]? inputShape = null, string? name = null, bool trainable = true)
        : base(name, trainable, inputShape)
    {
        if (rate is < 0 or >= 1 || double.IsNaN(rate))
            throw new ArgumentOutOfRangeException(nameof(rate), rate, "Dropout rate must be in [0, 1).");
        Rate = rate;
    }

    /// <summary>Fraction of the input units to drop during training, in [0, 1) (Keras' <c>rate</c>).</summary>
    public double Rate { get; }

    /// <summary>An input mask passes through unchanged (Keras' <c>supports_masking</c>).</summary>
    public override bool SupportsMasking => true;

    /// <inheritdoc/>
    public override Tensor Call(Tensor inputs, bool training = false) =>
        training && Rate > 0 ? F.dropout(inputs, Rate, training: true) : inputs.alias();
}
