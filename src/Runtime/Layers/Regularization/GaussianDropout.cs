using static TorchSharp.torch;

namespace Layerwise.Layers;

/// <summary>
/// Keras' <c>GaussianDropout</c>: in training, multiplies inputs by normal noise of mean 1 and
/// standard deviation <c>sqrt(rate / (1 - rate))</c>; at inference, passes inputs through.
/// </summary>
[Layer(Module = "keras.layers")]
public partial class GaussianDropout : Layer
{
    public GaussianDropout(double rate, int? seed = null, long[]? inputShape = null, string? name = null, bool trainable = true)
        : base(name, trainable, inputShape)
    {
        Rate = NoiseRate.Check(rate, "GaussianDropout");
        Seed = seed;
    }

    public double Rate { get; }

    /// <summary>Kept for the config; draws come from torch's generator (<see cref="Backend.SetRandomSeed"/>).</summary>
    public int? Seed { get; }

    public override Tensor Call(Tensor inputs, bool training = false)
    {
        if (!training || Rate == 0) return inputs.alias();
        using var noise = randn_like(inputs).mul_(Math.Sqrt(Rate / (1 - Rate))).add_(1);
        return inputs.mul(noise);
    }
}
