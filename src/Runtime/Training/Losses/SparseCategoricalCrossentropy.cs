using static TorchSharp.torch;

namespace Layerwise.Training.Losses;

/// <summary>Cross-entropy between integer class labels and predicted logits or probabilities.</summary>
public sealed class SparseCategoricalCrossentropy(bool fromLogits = false, string? name = null) : Loss(name)
{
    /// <summary>Whether predictions are logits rather than probabilities (Keras' <c>from_logits</c>).</summary>
    public bool FromLogits { get; } = fromLogits;

    /// <inheritdoc/>
    public override Tensor PerSample(Tensor yTrue, Tensor yPred)
    {
        using var labels = Labels.AsClassIndices(yTrue, yPred, Name);
        using var logProbabilities = LogProbabilities(yPred, FromLogits);
        return nn.functional.nll_loss(logProbabilities, labels, reduction: nn.Reduction.None);
    }
}
