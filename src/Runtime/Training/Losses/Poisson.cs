using static TorchSharp.torch;

namespace Layerwise.Training.Losses;

/// <summary>Keras' <c>Poisson</c> (<c>poisson</c>): mean of y_pred − y_true·log(y_pred + ε) over the last axis.</summary>
public sealed class Poisson(string? name = null) : Loss(name)
{
    /// <inheritdoc/>
    public override Tensor PerSample(Tensor yTrue, Tensor yPred)
    {
        Labels.RequireSameShape(yTrue, yPred, Name);
        using var targets = yTrue.to_type(yPred.dtype);
        using var weighted = yPred.add(Epsilon).log_().mul_(targets);
        using var elementwise = yPred.sub(weighted);
        return MeanOverLastAxis(elementwise);
    }
}
