using static TorchSharp.torch;

namespace Layerwise.Initializers;

/// <summary>Keras' <c>Zeros</c> (<c>"zeros"</c>): every entry 0; the default bias initializer.</summary>
public sealed class Zeros : Initializer
{
    /// <inheritdoc/>
    public override string Name => "zeros";
    /// <inheritdoc/>
    public override Tensor Generate(long[] shape, Device device) => zeros(shape, ScalarType.Float32, device);
}

/// <summary>
/// Keras' <c>Ones</c> (<c>"ones"</c>): every entry 1; the default <c>gamma</c> initializer of normalization layers.
/// </summary>
public sealed class Ones : Initializer
{
    /// <inheritdoc/>
    public override string Name => "ones";
    /// <inheritdoc/>
    public override Tensor Generate(long[] shape, Device device) => ones(shape, ScalarType.Float32, device);
}

/// <summary>Keras' <c>RandomUniform</c> (default range [-0.05, 0.05]).</summary>
public sealed class RandomUniform(double minval = -0.05, double maxval = 0.05) : Initializer
{
    /// <summary>Lower bound of the range (Keras' <c>minval</c>).</summary>
    public double Minval { get; } = minval;
    /// <summary>Upper bound of the range, exclusive (Keras' <c>maxval</c>).</summary>
    public double Maxval { get; } = maxval;
    /// <inheritdoc/>
    public override string Name => "random_uniform";

    /// <inheritdoc/>
    public override Tensor Generate(long[] shape, Device device)
    {
        var t = empty(shape, ScalarType.Float32, device);
        using var _ = no_grad();
        return t.uniform_(Minval, Maxval);
    }
}

/// <summary>Keras' <c>RandomNormal</c> (default mean 0, stddev 0.05).</summary>
public sealed class RandomNormal(double mean = 0.0, double stddev = 0.05) : Initializer
{
    /// <summary>Mean of the draws (Keras' <c>mean</c>).</summary>
    public double Mean { get; } = mean;
    /// <summary>Standard deviation of the draws (Keras' <c>stddev</c>).</summary>
    public double Stddev { get; } = stddev;
    /// <inheritdoc/>
    public override string Name => "random_normal";

    /// <inheritdoc/>
    public override Tensor Generate(long[] shape, Device device)
    {
        var t = empty(shape, ScalarType.Float32, device);
        using var _ = no_grad();
        return t.normal_(Mean, Stddev);
    }
}

/// <summary>Keras' <c>TruncatedNormal</c>: a normal draw (default mean 0, stddev 0.05) whose values more than two stddevs from the mean are drawn again.</summary>
public sealed class TruncatedNormal(double mean = 0.0, double stddev = 0.05) : Initializer
{
    /// <summary>Mean of the draws (Keras' <c>mean</c>).</summary>
    public double Mean { get; } = mean;
    /// <summary>Standard deviation before truncation (Keras' <c>stddev</c>).</summary>
    public double Stddev { get; } = stddev;
    /// <inheritdoc/>
    public override string Name => "truncated_normal";

    /// <inheritdoc/>
    public override Tensor Generate(long[] shape, Device device)
    {
        var t = StandardTruncatedNormal(shape, device);
        using var _ = no_grad();
        return t.mul_(Stddev).add_(Mean);
    }
}

/// <summary>Keras' <c>Constant</c>: every entry is <see cref="Value"/>.</summary>
public sealed class Constant(double value = 0.0) : Initializer
{
    /// <summary>The value of every entry (Keras' <c>value</c>).</summary>
    public double Value { get; } = value;
    /// <inheritdoc/>
    public override string Name => "constant";
    /// <inheritdoc/>
    public override Tensor Generate(long[] shape, Device device) => full(shape, Value, ScalarType.Float32, device);
}

/// <summary>Keras' <c>Identity</c>: <see cref="Gain"/> times the identity matrix; only for 2-D weights, as in Keras.</summary>
public sealed class Identity(double gain = 1.0) : Initializer
{
    /// <summary>Factor of the identity matrix (Keras' <c>gain</c>).</summary>
    public double Gain { get; } = gain;
    /// <inheritdoc/>
    public override string Name => "identity";

    /// <inheritdoc/>
    public override Tensor Generate(long[] shape, Device device)
    {
        if (shape.Length != 2)
            throw new ArgumentException($"The Identity initializer needs a 2-D shape; received [{string.Join(", ", shape)}].", nameof(shape));
        using var _ = no_grad();
        using var identity = eye(shape[0], shape[1], ScalarType.Float32, device);
        return identity.mul(Gain);
    }
}
