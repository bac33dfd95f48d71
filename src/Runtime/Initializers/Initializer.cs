using static TorchSharp.torch;

namespace Layerwise.Initializers;

/// <summary>
/// Fills a new weight (Keras' <c>keras.initializers</c>). Draws come from torch's global generator,
/// so <see cref="Backend.SetRandomSeed"/> makes them reproducible. In configs it is written as Keras'
/// <c>{class_name, config}</c> by <see cref="Serialization.InitializerConverter"/>.
/// </summary>
[ConfigConverter(typeof(Serialization.InitializerConverter))]
public abstract class Initializer
{
    /// <summary>The Keras identifier, e.g. <c>glorot_uniform</c>.</summary>
    public abstract string Name { get; }

    /// <summary>A new tensor of <paramref name="shape"/> on <paramref name="device"/>.</summary>
    public abstract Tensor Generate(long[] shape, Device device);

    public static implicit operator Initializer(string name) => Get(name);

    /// <summary>The initializer Keras names <paramref name="name"/> (snake_case or class name).</summary>
    public static Initializer Get(string name) => name.Replace("_", "").ToLowerInvariant() switch
    {
        "glorotuniform" or "xavieruniform" => new GlorotUniform(),
        "glorotnormal" or "xaviernormal" => new GlorotNormal(),
        "heuniform" => new HeUniform(),
        "henormal" => new HeNormal(),
        "randomuniform" or "uniform" => new RandomUniform(),
        "randomnormal" or "normal" => new RandomNormal(),
        "zeros" or "zero" => new Zeros(),
        "ones" or "one" => new Ones(),
        "orthogonal" => new Orthogonal(),
        _ => throw new ArgumentException(
            $"Unknown initializer \"{name}\". Expected one of: glorot_uniform, glorot_normal, he_uniform, he_normal, " +
            "random_uniform, random_normal, zeros, ones, orthogonal.", nameof(name)),
    };

    /// <summary>Keras' <c>compute_fans</c>: fan-in and fan-out of a kernel of this shape.</summary>
    protected static (double FanIn, double FanOut) ComputeFans(long[] shape)
    {
        if (shape.Length == 0) return (1, 1);
        if (shape.Length == 1) return (shape[0], shape[0]);
        if (shape.Length == 2) return (shape[0], shape[1]);
        double receptive = 1;
        for (int i = 0; i < shape.Length - 2; i++) receptive *= shape[i];
        return (shape[^2] * receptive, shape[^1] * receptive);
    }
}
