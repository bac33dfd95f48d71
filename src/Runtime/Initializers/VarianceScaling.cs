using static TorchSharp.torch;

namespace Layerwise.Initializers;

/// <summary>Glorot and He initializers as Keras defines them (uniform limit sqrt(3·scale/fan)).</summary>
public abstract class VarianceScaling : Initializer
{
    private protected abstract double Scale { get; }
    private protected abstract bool UseFanAverage { get; }
    private protected abstract bool Uniform { get; }

    public override Tensor Generate(long[] shape, Device device)
    {
        var (fanIn, fanOut) = ComputeFans(shape);
        double n = UseFanAverage ? Math.Max(1.0, (fanIn + fanOut) / 2.0) : Math.Max(1.0, fanIn);
        double variance = Scale / n;
        var t = empty(shape, ScalarType.Float32, device);
        using var _ = no_grad();
        if (Uniform)
        {
            double limit = Math.Sqrt(3.0 * variance);
            t.uniform_(-limit, limit);
        }
        else
        {
            // Keras uses a normal truncated at two standard deviations; 0.879... corrects its stddev.
            double stddev = Math.Sqrt(variance) / 0.87962566103423978;
            nn.init.trunc_normal_(t, 0.0, stddev, -2 * stddev, 2 * stddev);
        }
        return t;
    }
}

public sealed class GlorotUniform : VarianceScaling
{
    public override string Name => "glorot_uniform";
    private protected override double Scale => 1.0;
    private protected override bool UseFanAverage => true;
    private protected override bool Uniform => true;
}

public sealed class GlorotNormal : VarianceScaling
{
    public override string Name => "glorot_normal";
    private protected override double Scale => 1.0;
    private protected override bool UseFanAverage => true;
    private protected override bool Uniform => false;
}

public sealed class HeUniform : VarianceScaling
{
    public override string Name => "he_uniform";
    private protected override double Scale => 2.0;
    private protected override bool UseFanAverage => false;
    private protected override bool Uniform => true;
}

public sealed class HeNormal : VarianceScaling
{
    public override string Name => "he_normal";
    private protected override double Scale => 2.0;
    private protected override bool UseFanAverage => false;
    private protected override bool Uniform => false;
}
