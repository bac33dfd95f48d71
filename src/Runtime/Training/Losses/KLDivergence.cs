using static TorchSharp.torch;

namespace Layerwise.Training.Losses;

/// <summary>
/// Keras' <c>KLDivergence</c> (<c>kl_divergence</c>, <c>kld</c>, <c>kullback_leibler_divergence</c>):
/// Σ y_true·log(y_true / y_pred) over the last axis, both clipped to [ε, 1] first.
/// </summary>
public sealed class KLDivergence(string? name = null) : Loss(name)
{
    /// <inheritdoc/>
    public override Tensor PerSample(Tensor yTrue, Tensor yPred)
    {
        Labels.RequireSameShape(yTrue, yPred, Name);
        using var converted = yTrue.to_type(yPred.dtype);
        using var targets = converted.clamp(Epsilon, 1.0);   // not in place: converted may share yTrue's storage
        using var predictions = yPred.clamp(Epsilon, 1.0);
        using var elementwise = targets.div(predictions).log_().mul_(targets);
        return elementwise.sum(-1);
    }
}
