using static TorchSharp.torch;

namespace Layerwise.Training.Losses;

/// <summary>
/// Cross-entropy between one-hot (or soft) targets and predicted logits or probabilities. With
/// <c>label_smoothing</c> ls the targets become y·(1 − ls) + ls / classes first, as Keras.
/// </summary>
public sealed class CategoricalCrossentropy(bool fromLogits = false, string? name = null, double labelSmoothing = 0.0) : Loss(name)
{
    /// <summary>Whether predictions are logits rather than probabilities (Keras' <c>from_logits</c>).</summary>
    public bool FromLogits { get; } = fromLogits;

    /// <summary>
    /// Targets are moved towards uniform by this much: y·(1 − s) + s/classes (Keras' <c>label_smoothing</c>).
    /// </summary>
    public double LabelSmoothing { get; } = labelSmoothing is >= 0 and <= 1
        ? labelSmoothing : throw new ArgumentOutOfRangeException(nameof(labelSmoothing), labelSmoothing, "label_smoothing must be in [0, 1].");

    /// <inheritdoc/>
    public override Tensor PerSample(Tensor yTrue, Tensor yPred)
    {
        Labels.RequireSameShape(yTrue, yPred, Name);
        using var logProbabilities = LogProbabilities(yPred, FromLogits);
        using var targets = yTrue.to_type(yPred.dtype);
        using var smoothed = LabelSmoothing > 0 ? targets.mul(1 - LabelSmoothing).add_(LabelSmoothing / yPred.shape[^1]) : targets.alias();
        using var weighted = smoothed.mul(logProbabilities);
        return weighted.sum(-1).neg_();
    }
}
