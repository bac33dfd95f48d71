using static TorchSharp.torch;

namespace Layerwise.Layers;

/// <summary>
/// Keras' <c>GaussianNoise</c>: in training, adds zero-centred normal noise of standard deviation
/// <see cref="Stddev"/>; at inference, passes inputs through. Draws come from torch's generator.
/// </summary>
[Layer(Module = "keras.layers")]
public partial class GaussianNoise : Layer
{
    public GaussianNoise(double stddev, int? seed = null, long[]? inputShape = null, string? name = null, bool trainable = true)
        : base(name, trainable, inputShape)
    {
        if (!(stddev >= 0) || double.IsInfinity(stddev))
            throw new ArgumentOutOfRangeException(nameof(stddev), stddev, "GaussianNoise stddev must be a finite number >= 0.");
        Stddev = stddev;
        Seed = seed;
    }

    public double Stddev { get; }

    /// <summary>Kept for the config; draws come from torch's generator (<see cref="Backend.SetRandomSeed"/>).</summary>
    public int? Seed { get; }

    public override Tensor Call(Tensor inputs, bool training = false)
    {
        if (!training || Stddev == 0) return inputs.alias();
        using var noise = randn_like(inputs).mul_(Stddev);
        return inputs.add(noise);
    }
}
