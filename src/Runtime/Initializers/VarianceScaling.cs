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

    /// <summary>Keras' <c>VarianceScaling(scale, mode, distribution)</c>.</summary>
    /// <param name="scale">Target variance factor; must be positive (Keras' <c>scale</c>).</param>
    /// <param name="mode"><c>fan_in</c>, <c>fan_out</c> or <c>fan_avg</c> (Keras' <c>mode</c>).</param>
    /// <param name="distribution"><c>truncated_normal</c>, <c>untruncated_normal</c> or <c>uniform</c> (Keras'
    /// <c>distribution</c>; Keras 2.0's <c>normal</c> reads as truncated_normal).</param>
    /// <exception cref="ArgumentException">An unknown mode or distribution, or a scale that is not
    /// positive.</exception>
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

    /// <summary>Target variance factor (Keras' <c>scale</c>).</summary>
    public double Scale { get; }
    /// <summary><c>fan_in</c>, <c>fan_out</c> or <c>fan_avg</c> (Keras' <c>mode</c>).</summary>
    public string Mode { get; }
    /// <summary>
    /// <c>truncated_normal</c>, <c>untruncated_normal</c> or <c>uniform</c> (Keras' <c>distribution</c>).
    /// </summary>
    public string Distribution { get; }

    /// <inheritdoc/>
    public override string Name => "variance_scaling";

    /// <inheritdoc/>
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

/// <summary>
/// Keras' <c>GlorotUniform</c> (<c>"glorot_uniform"</c>, Xavier uniform): uniform in ±sqrt(6 / (fan_in + fan_out)); the
/// default kernel initializer.
/// </summary>
public sealed class GlorotUniform() : VarianceScaling(1.0, "fan_avg", "uniform")
{
    /// <inheritdoc/>
    public override string Name => "glorot_uniform";
}

/// <summary>
/// Keras' <c>GlorotNormal</c> (<c>"glorot_normal"</c>, Xavier normal): truncated normal with stddev sqrt(2 / (fan_in +
/// fan_out)).
/// </summary>
public sealed class GlorotNormal() : VarianceScaling(1.0, "fan_avg", "truncated_normal")
{
    /// <inheritdoc/>
    public override string Name => "glorot_normal";
}

/// <summary>Keras' <c>HeUniform</c> (<c>"he_uniform"</c>): uniform in ±sqrt(6 / fan_in), for ReLU networks.</summary>
public sealed class HeUniform() : VarianceScaling(2.0, "fan_in", "uniform")
{
    /// <inheritdoc/>
    public override string Name => "he_uniform";
}

/// <summary>
/// Keras' <c>HeNormal</c> (<c>"he_normal"</c>): truncated normal with stddev sqrt(2 / fan_in), for ReLU networks.
/// </summary>
public sealed class HeNormal() : VarianceScaling(2.0, "fan_in", "truncated_normal")
{
    /// <inheritdoc/>
    public override string Name => "he_normal";
}

/// <summary>Keras' <c>LecunUniform</c> (<c>"lecun_uniform"</c>): uniform in ±sqrt(3 / fan_in).</summary>
public sealed class LecunUniform() : VarianceScaling(1.0, "fan_in", "uniform")
{
    /// <inheritdoc/>
    public override string Name => "lecun_uniform";
}

/// <summary>
/// Keras' <c>LecunNormal</c> (<c>"lecun_normal"</c>): truncated normal with stddev sqrt(1 / fan_in), for SELU networks.
/// </summary>
public sealed class LecunNormal() : VarianceScaling(1.0, "fan_in", "truncated_normal")
{
    /// <inheritdoc/>
    public override string Name => "lecun_normal";
}
