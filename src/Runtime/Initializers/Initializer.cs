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

    /// <summary>
    /// Lets a Keras name stand for an initializer, as in Keras: <c>kernelInitializer: "he_normal"</c> (see
    /// <see cref="Get"/>).
    /// </summary>
    public static implicit operator Initializer(string name) => Get(name);

    /// <summary>
    /// The initializer Keras' <c>initializers.get</c> finds under <paramref name="name"/>, with its
    /// default settings: a class name in any Keras spelling (<c>GlorotUniform</c>, tf.keras'
    /// <c>GlorotUniformV2</c>, Keras 3.2-3.6's <c>OrthogonalInitializer</c>), its snake_case form
    /// (<c>glorot_uniform</c>) or a short alias (<c>normal</c>, <c>uniform</c>, <c>zero</c>, <c>one</c>).
    /// Case and underscores are ignored.
    /// </summary>
    public static Initializer Get(string name) => Canonical(name) switch
    {
        "glorotuniform" or "xavieruniform" => new GlorotUniform(),
        "glorotnormal" or "xaviernormal" => new GlorotNormal(),
        "heuniform" => new HeUniform(),
        "henormal" => new HeNormal(),
        "lecununiform" => new LecunUniform(),
        "lecunnormal" => new LecunNormal(),
        "variancescaling" => new VarianceScaling(),
        "randomuniform" or "uniform" => new RandomUniform(),
        "randomnormal" or "normal" => new RandomNormal(),
        "truncatednormal" => new TruncatedNormal(),
        "zeros" or "zero" => new Zeros(),
        "ones" or "one" => new Ones(),
        "constant" => new Constant(),
        "identity" => new Identity(),
        "orthogonal" => new Orthogonal(),
        _ => throw new ArgumentException(
            $"Unknown initializer \"{name}\". Expected one of: {string.Join(", ", KerasNames)} (or their class names).", nameof(name)),
    };

    /// <summary>The snake_case names <see cref="Get"/> accepts (class names and Keras' aliases are accepted too).</summary>
    public static IReadOnlyList<string> KerasNames { get; } =
    [
        "glorot_uniform", "glorot_normal", "he_uniform", "he_normal", "lecun_uniform", "lecun_normal", "variance_scaling",
        "random_uniform", "random_normal", "truncated_normal", "zeros", "ones", "constant", "identity", "orthogonal",
    ];

    /// <summary>
    /// <paramref name="name"/> without case, underscores, tf.keras' "V2" suffix (<c>GlorotUniformV2</c>,
    /// <c>glorot_uniformV2</c>) or Keras 3's "Initializer" suffix (<c>OrthogonalInitializer</c>, <c>IdentityInitializer</c>).
    /// </summary>
    internal static string Canonical(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var key = name.Replace("_", "").ToLowerInvariant();
        if (key.EndsWith("v2", StringComparison.Ordinal)) key = key[..^2];
        if (key.EndsWith("initializer", StringComparison.Ordinal) && key.Length > "initializer".Length) key = key[..^"initializer".Length];
        return key;
    }

    /// <summary>
    /// Draws from a standard normal truncated to [-2, 2] (values beyond redrawn, as Keras'
    /// <c>truncated_normal</c>), by the inverse CDF: a uniform draw between Φ(-2) and Φ(2) through
    /// √2·erfinv(2u - 1). TorchSharp 0.107's <c>nn.init.trunc_normal_</c> is not used: its native code
    /// multiplies by the mean and adds the standard deviation, so it fills a constant.
    /// </summary>
    private protected static Tensor StandardTruncatedNormal(long[] shape, Device device)
    {
        const double ErfOfSqrt2 = 0.95449973610364158;   // 2Φ(2) - 1
        var t = empty(shape, ScalarType.Float32, device);
        using var _ = no_grad();
        return t.uniform_(-ErfOfSqrt2, ErfOfSqrt2).erfinv_().mul_(Math.Sqrt(2.0)).clamp_(-2.0, 2.0);
    }

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
