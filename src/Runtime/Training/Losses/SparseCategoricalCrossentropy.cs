using static TorchSharp.torch;

namespace Layerwise.Training.Losses;

/// <summary>Cross-entropy between integer class labels and predicted logits or probabilities (classes on the last axis; one value per sample, or per step of a sequence).</summary>
public sealed class SparseCategoricalCrossentropy(bool fromLogits = false, string? name = null) : Loss(name)
{
    /// <summary>Whether predictions are logits rather than probabilities (Keras' <c>from_logits</c>).</summary>
    public bool FromLogits { get; } = fromLogits;

    /// <inheritdoc/>
    public override Tensor PerSample(Tensor yTrue, Tensor yPred)
    {
        using var labels = Labels.AsClassIndices(yTrue, yPred, Name);
        using var logProbabilities = LogProbabilities(yPred, FromLogits);
        if (logProbabilities.dim() <= 2) return nn.functional.nll_loss(logProbabilities, labels, reduction: nn.Reduction.None);
        // [batch, timesteps, classes]: one loss per position, [batch, timesteps] (nll_loss wants classes on axis 1).
        using var flatLogProbabilities = logProbabilities.reshape(-1, logProbabilities.shape[^1]);
        using var flatLabels = labels.reshape(-1);
        using var flat = nn.functional.nll_loss(flatLogProbabilities, flatLabels, reduction: nn.Reduction.None);
        return flat.reshape(labels.shape);
    }
}
