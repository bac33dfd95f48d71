using static TorchSharp.torch;

namespace Layerwise.Training.Losses;

/// <summary>Cross-entropy between one-hot (or soft) targets and predicted logits or probabilities.</summary>
public sealed class CategoricalCrossentropy(bool fromLogits = false, string? name = null) : Loss(name)
{
    public bool FromLogits { get; } = fromLogits;

    public override Tensor PerSample(Tensor yTrue, Tensor yPred)
    {
        Labels.RequireSameShape(yTrue, yPred, Name);
        using var logProbabilities = LogProbabilities(yPred, FromLogits);
        using var weighted = yTrue.to_type(yPred.dtype).mul(logProbabilities);
        return weighted.sum(-1).neg_();
    }
}
