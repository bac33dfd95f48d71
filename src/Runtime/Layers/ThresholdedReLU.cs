using static TorchSharp.torch;

namespace Layerwise.Layers;

/// <summary>Keras' <c>ThresholdedReLU</c> (Keras 1/2): x where x &gt; <see cref="Theta"/>, 0 elsewhere.</summary>
[Layer(Module = "keras.layers")]
public partial class ThresholdedReLU : Layer
{
    /// <summary>Creates the layer with Keras' arguments and defaults (<c>keras.layers.ThresholdedReLU</c>).</summary>
    /// <param name="theta">Threshold: x where x &gt; theta, else 0 (Keras' <c>theta</c>).</param>
    /// <param name="inputShape">Per-sample input shape (batch left out; -1 for an unknown dimension), Keras'
    /// <c>input_shape</c>: lets a model build this layer before the first call. Null: built from the first
    /// input.</param>
    /// <param name="name">Layer name (Keras' <c>name</c>), unique within a model; weight paths in saved files start
    /// with it. Null: Keras' automatic name (snake_case class name plus a counter, e.g. <c>dense_1</c>).</param>
    /// <param name="trainable">Whether training updates this layer's weights (Keras' <c>trainable</c>).</param>
    public ThresholdedReLU(double theta = 1.0, long[]? inputShape = null, string? name = null, bool trainable = true)
        : base(name, trainable, inputShape)
    {
        if (!(theta >= 0) || double.IsInfinity(theta))
            throw new ArgumentOutOfRangeException(nameof(theta), theta, "ThresholdedReLU theta must be a finite number >= 0.");
        Theta = theta;
    }

    /// <summary>Threshold: x where x &gt; theta, else 0 (Keras' <c>theta</c>).</summary>
    public double Theta { get; }

    /// <inheritdoc/>
    public override Tensor Call(Tensor inputs, bool training = false)
    {
        using var above = inputs.gt(Theta);
        return inputs.mul(above);
    }
}
