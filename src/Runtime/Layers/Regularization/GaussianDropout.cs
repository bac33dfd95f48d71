using static TorchSharp.torch;

namespace Layerwise.Layers;

/// <summary>
/// Keras' <c>GaussianDropout</c>: in training, multiplies inputs by normal noise of mean 1 and
/// standard deviation <c>sqrt(rate / (1 - rate))</c>; at inference, passes inputs through.
/// </summary>
[Layer(Module = "keras.layers")]
public partial class GaussianDropout : Layer
{
    /// <summary>Creates the layer with Keras' arguments and defaults (<c>keras.layers.GaussianDropout</c>).</summary>
    /// <param name="rate">Drop probability: inputs are multiplied by noise of mean 1 and variance rate / (1 - rate) in
    /// training (Keras' <c>rate</c>).</param>
    /// <param name="seed">Seed of the random generator, for reproducible draws (Keras' <c>seed</c>). Null:
    /// unseeded.</param>
    /// <param name="inputShape">Per-sample input shape (batch left out; -1 for an unknown dimension), Keras'
    /// <c>input_shape</c>: lets a model build this layer before the first call. Null: built from the first
    /// input.</param>
    /// <param name="name">Layer name (Keras' <c>name</c>), unique within a model; weight paths in saved files start
    /// with it. Null: Keras' automatic name (snake_case class name plus a counter, e.g. <c>dense_1</c>).</param>
    /// <param name="trainable">Whether training updates this layer's weights (Keras' <c>trainable</c>).</param>
    public GaussianDropout(double rate, int? seed = null, long[]? inputShape = null, string? name = null, bool trainable = true)
        : base(name, trainable, inputShape)
    {
        Rate = NoiseRate.Check(rate, "GaussianDropout");
        Seed = seed;
    }

    /// <summary>
    /// Drop probability: inputs are multiplied by noise of mean 1 and variance rate / (1 - rate) in training (Keras'
    /// <c>rate</c>).
    /// </summary>
    public double Rate { get; }

    /// <summary>Kept for the config; draws come from torch's generator (<see cref="Backend.SetRandomSeed"/>).</summary>
    public int? Seed { get; }

    /// <inheritdoc/>
    public override Tensor Call(Tensor inputs, bool training = false)
    {
        if (!training || Rate == 0) return inputs.alias();
        using var noise = randn_like(inputs).mul_(Math.Sqrt(Rate / (1 - Rate))).add_(1);
        return inputs.mul(noise);
    }
}
