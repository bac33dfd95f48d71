using static TorchSharp.torch;

namespace Layerwise.Training.Losses;

/// <summary>Keras' <c>MeanAbsolutePercentageError</c> (<c>mape</c>): 100 · mean(|y_true − y_pred| / max(|y_true|, ε)) over the last axis.</summary>
public sealed class MeanAbsolutePercentageError(string? name = null) : Loss(name)
{
    /// <inheritdoc/>
    public override Tensor PerSample(Tensor yTrue, Tensor yPred)
    {
        Labels.RequireSameShape(yTrue, yPred, Name);
        using var targets = yTrue.to_type(yPred.dtype);
        using var scale = targets.abs().clamp_min_(Epsilon);
        using var ratio = targets.sub(yPred).div_(scale).abs_().mul_(100.0);
        return MeanOverLastAxis(ratio);
    }
}
