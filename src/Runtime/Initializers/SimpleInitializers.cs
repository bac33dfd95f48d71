using static TorchSharp.torch;

namespace Layerwise.Initializers;

public sealed class Zeros : Initializer
{
    public override string Name => "zeros";
    public override Tensor Generate(long[] shape, Device device) => zeros(shape, ScalarType.Float32, device);
}

public sealed class Ones : Initializer
{
    public override string Name => "ones";
    public override Tensor Generate(long[] shape, Device device) => ones(shape, ScalarType.Float32, device);
}

/// <summary>Keras' <c>RandomUniform</c> (default range [-0.05, 0.05]).</summary>
public sealed class RandomUniform(double minval = -0.05, double maxval = 0.05) : Initializer
{
    public double Minval { get; } = minval;
    public double Maxval { get; } = maxval;
    public override string Name => "random_uniform";

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
    public double Mean { get; } = mean;
    public double Stddev { get; } = stddev;
    public override string Name => "random_normal";

    public override Tensor Generate(long[] shape, Device device)
    {
        var t = empty(shape, ScalarType.Float32, device);
        using var _ = no_grad();
        return t.normal_(Mean, Stddev);
    }
}
