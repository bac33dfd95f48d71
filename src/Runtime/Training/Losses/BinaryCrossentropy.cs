using static TorchSharp.torch;

namespace Layerwise.Training.Losses;

/// <summary>
/// Binary cross-entropy per output, averaged over the last axis, as Keras does. With <c>label_smoothing</c> ls
/// the targets are squeezed towards 0.5 first: y·(1 − ls) + ls / 2.
/// </summary>
public sealed class BinaryCrossentropy(bool fromLogits = false, string? name = null, double labelSmoothing = 0.0) : Loss(name)
{
    /// <summary>Whether predictions are logits rather than probabilities (Keras' <c>from_logits</c>).</summary>
    public bool FromLogits { get; } = fromLogits;

    /// <summary>Targets are moved towards 0.5 by this much: y·(1 − s) + s/2 (Keras' <c>label_smoothing</c>).</summary>
    public double LabelSmoothing { get; } = labelSmoothing is >= 0 and <= 1
        ? labelSmoothing : throw new ArgumentOutOfRangeException(nameof(labelSmoothing), labelSmoothing, "label_smoothing must be in [0, 1].");

    /// <inheritdoc/>
    public override Tensor PerSample(Tensor yTrue, Tensor yPred)
    {
        Labels.RequireSameShape(yTrue, yPred, Name);
        using var converted = yTrue.to_type(yPred.dtype);
        using var targets = LabelSmoothing > 0 ? converted.mul(1 - LabelSmoothing).add_(0.5 * LabelSmoothing) : converted.alias();
        using var elementwise = FromLogits
            ? nn.functional.binary_cross_entropy_with_logits(yPred, targets, reduction: nn.Reduction.None)
            : ClippedBinaryCrossentropy(targets, yPred);
        return elementwise.dim() > 1 ? elementwise.mean([-1L]) : elementwise.alias();
    }

    static Tensor ClippedBinaryCrossentropy(Tensor targets, Tensor probabilities)
    {
        using var p = probabilities.clamp(Epsilon, 1 - Epsilon);
        using var logP = p.log();
        using var oneMinusP = p.neg().add_(1);
        using var logOneMinusP = oneMinusP.log_();
        using var oneMinusT = targets.neg().add_(1);
        using var negative = oneMinusT.mul(logOneMinusP);
        var positive = targets.mul(logP);   // not disposed: the in-place ops below return it
        return positive.add_(negative).neg_();
    }
}
