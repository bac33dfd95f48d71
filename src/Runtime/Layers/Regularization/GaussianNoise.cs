using static TorchSharp.torch;

namespace Layerwise.Layers;

/// <summary>
/// Keras' <c>GaussianNoise</c>: in training, adds zero-centred normal noise of standard deviation
/// <see cref="Stddev"/>; at inference, passes inputs through. Draws come from torch's generator.
/// </summary>
[Layer(Module = "keras.layers")]
public partial class GaussianNoise : Layer
{
    /// <summary>Creates the layer with Keras' arguments and defaults (<c>keras.layers.GaussianNoise</c>).</summary>
    /// <param name="stddev">Standard deviation of the zero-mean noise added in training (Keras' <c>stddev</c>).</param>
    /// <param name="seed">Seed of the random generator, for reproducible draws (Keras' <c>seed</c>). Null:
    /// unseeded.</param>
    /// <param name="inputShape">Per-sample input shape (batch left out; -1 for an unknown dimension), Keras'
    /// <c>input_shape</c>: lets a model build this layer before the first call. Null: built from the first
    /// input.</param>
    /// <param name="name">Layer name (Keras' <c>name</c>), unique within a model; weight paths in saved files start
    /// with it. Null: Keras' automatic name (snake_case class name plus a counter, e.g. <c>dense_1</c>).</param>
    /// <param name="trainable">Whether training updates this layer's weights (Keras' <c>trainable</c>).</param>
    public GaussianNoise(double stddev, int? seed = null, long[]? inputShape = null, string? name = null, bool trainable = true)
        : base(name, trainable, inputShape)
    {
        if (!(stddev >= 0) || double.IsInfinity(stddev))
            throw new ArgumentOutOfRangeException(nameof(stddev), stddev, "GaussianNoise stddev must be a finite number >= 0.");
        Stddev = stddev;
        Seed = seed;
    }

    /// <summary>Standard deviation of the zero-mean noise added in training (Keras' <c>stddev</c>).</summary>
    public double Stddev { get; }

    /// <summary>Kept for the config; draws come from torch's generator (<see cref="Backend.SetRandomSeed"/>).</summary>
    public int? Seed { get; }

    /// <inheritdoc/>
    public override Tensor Call(Tensor inputs, bool training = false)
    {
        if (!training || Stddev == 0) return inputs.alias();
        using var noise = randn_like(inputs).mul_(Stddev);
        return inputs.add(noise);
    }
}
