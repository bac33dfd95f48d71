using static TorchSharp.torch;

namespace Layerwise.Layers;

/// <summary>Keras' <c>ThresholdedReLU</c> (Keras 1/2): x where x &gt; <see cref="Theta"/>, 0 elsewhere.</summary>
[Layer(Module = "keras.layers")]
public partial class ThresholdedReLU : Layer
{
    public ThresholdedReLU(double theta = 1.0, long[]? inputShape = null, string? name = null, bool trainable = true)
        : base(name, trainable, inputShape)
    {
        if (!(theta >= 0) || double.IsInfinity(theta))
            throw new ArgumentOutOfRangeException(nameof(theta), theta, "ThresholdedReLU theta must be a finite number >= 0.");
        Theta = theta;
    }

    public double Theta { get; }

    public override Tensor Call(Tensor inputs, bool training = false)
    {
        using var above = inputs.gt(Theta);
        return inputs.mul(above);
    }
}
