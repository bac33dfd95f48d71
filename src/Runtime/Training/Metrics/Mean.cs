using static TorchSharp.torch;

namespace Layerwise.Training.Metrics;

/// <summary>A weighted running mean of scalar values (Keras' <c>Mean</c>); tracks the loss during fit.</summary>
public sealed class Mean(string? name = null) : Metric(name)
{
    /// <summary>Adds <paramref name="value"/> (a scalar tensor) with <paramref name="weight"/>.</summary>
    public void UpdateState(Tensor value, double weight)
    {
        using var _ = no_grad();
        Accumulate(value.detach().mul(weight), weight);
    }

    /// <inheritdoc/>
    protected override Tensor PerSample(Tensor yTrue, Tensor yPred) =>
        throw new NotSupportedException("Mean is updated with UpdateState(value, weight).");
}
