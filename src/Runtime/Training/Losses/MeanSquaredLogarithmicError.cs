using static TorchSharp.torch;

namespace Layerwise.Training.Losses;

/// <summary>Keras' <c>MeanSquaredLogarithmicError</c> (<c>msle</c>): mean of (log(max(y_pred, ε) + 1) − log(max(y_true, ε) + 1))² over the last axis.</summary>
public sealed class MeanSquaredLogarithmicError(string? name = null) : Loss(name)
{
    /// <inheritdoc/>
    public override Tensor PerSample(Tensor yTrue, Tensor yPred)
    {
        Labels.RequireSameShape(yTrue, yPred, Name);
        using var targets = yTrue.to_type(yPred.dtype);
        using var logPred = yPred.clamp_min(Epsilon).log1p_();
        using var logTrue = targets.clamp_min(Epsilon).log1p_();
        using var difference = logPred.sub(logTrue);
        using var squared = difference.square();
        return MeanOverLastAxis(squared);
    }
}
