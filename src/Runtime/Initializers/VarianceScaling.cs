using static TorchSharp.torch;

namespace Layerwise.Initializers;

/// <summary>
/// Keras' <c>VarianceScaling</c>: draws with variance <see cref="Scale"/> / n, where n is the fan-in,
/// fan-out or their average (<see cref="Mode"/>), from a normal truncated at two standard deviations,
/// an untruncated normal or a uniform (<see cref="Distribution"/>, limit sqrt(3·scale/n)). Glorot,
/// He and LeCun are its named settings.
/// </summary>
public class VarianceScaling : Initializer
{
    /// <summary>The stddev of a standard normal truncated to [-2, 2]: dividing by it restores the requested variance.</summary>
    const double TruncatedNormalStddev = 0.87962566103423978;

    public VarianceScaling(double scale = 1.0, string mode = "fan_in", string distribution = "truncated_normal")
    {
        if (!(scale > 0))
            throw new ArgumentOutOfRangeException(nameof(scale), scale, "VarianceScaling's scale must be positive.");
        if (mode is not ("fan_in" or "fan_out" or "fan_avg"))
            throw new ArgumentException($"VarianceScaling's mode must be fan_in, fan_out or fan_avg; received \"{mode}\".", nameof(mode));
        // Keras 2.0-2.2 wrote "normal" for what later versions call "truncated_normal".
        if (distribution == "normal") distribution = "truncated_normal";
        if (distribution is not ("truncated_normal" or "untruncated_normal" or "uniform"))
            throw new ArgumentException($"VarianceScaling's distribution must be truncated_normal, untruncated_normal or uniform; received \"{distribution}\".", nameof(distribution));
        Scale = scale;
        Mode = mode;
        Distribution = distribution;
    }

    public double Scale { get; }
    public string Mode { get; }
    public string Distribution { get; }

    public override string Name => "variance_scaling";

    public override Tensor Generate(long[] shape, Device device)
    {
        var (fanIn, fanOut) = ComputeFans(shape);
        double n = Mode switch
        {
            "fan_in" => Math.Max(1.0, fanIn),
            "fan_out" => Math.Max(1.0, fanOut),
            _ => Math.Max(1.0, (fanIn + fanOut) / 2.0),
        };
        double variance = Scale / n;
        using var _ = no_grad();
        switch (Distribution)
        {
            case "uniform":
                double limit = Math.Sqrt(3.0 * variance);
                return empty(shape, ScalarType.Float32, device).uniform_(-limit, limit);
            case "untruncated_normal":
                return empty(shape, ScalarType.Float32, device).normal_(0.0, Math.Sqrt(variance));
            default:
                return StandardTruncatedNormal(shape, device).mul_(Math.Sqrt(variance) / TruncatedNormalStddev);
        }
    }
}

public sealed class GlorotUniform() : VarianceScaling(1.0, "fan_avg", "uniform")
{
    public override string Name => "glorot_uniform";
}

public sealed class GlorotNormal() : VarianceScaling(1.0, "fan_avg", "truncated_normal")
{
    public override string Name => "glorot_normal";
}

public sealed class HeUniform() : VarianceScaling(2.0, "fan_in", "uniform")
{
    public override string Name => "he_uniform";
}

public sealed class HeNormal() : VarianceScaling(2.0, "fan_in", "truncated_normal")
{
    public override string Name => "he_normal";
}

public sealed class LecunUniform() : VarianceScaling(1.0, "fan_in", "uniform")
{
    public override string Name => "lecun_uniform";
}

public sealed class LecunNormal() : VarianceScaling(1.0, "fan_in", "truncated_normal")
{
    public override string Name => "lecun_normal";
}
