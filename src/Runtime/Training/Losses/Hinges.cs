using static TorchSharp.torch;

namespace Layerwise.Training.Losses;

/// <summary>Keras' <c>Hinge</c> (<c>hinge</c>): mean of max(1 − y_true·y_pred, 0) over the last axis; 0/1 labels become −1/1.</summary>
public sealed class Hinge(string? name = null) : Loss(name)
{
    /// <inheritdoc/>
    public override Tensor PerSample(Tensor yTrue, Tensor yPred)
    {
        Labels.RequireSameShape(yTrue, yPred, Name);
        using var margin = HingeMargin(yTrue, yPred);
        return MeanOverLastAxis(margin);
    }

    /// <summary>
    /// max(1 − y·ŷ, 0), with labels converted to ±1 when every label of the batch is 0 or 1
    /// (Keras' <c>_maybe_convert_labels</c> decides for the whole tensor).
    /// </summary>
    internal static Tensor HingeMargin(Tensor yTrue, Tensor yPred)
    {
        using var targets = yTrue.to_type(yPred.dtype);
        using var isZero = targets.eq(0);
        using var isOne = targets.eq(1);
        bool binary = isZero.logical_or(isOne).all().item<bool>();
        using var signed = binary ? targets.mul(2.0).sub_(1.0) : targets.alias();
        var margin = signed.mul(yPred);   // returned: the in-place ops below keep this tensor
        return margin.neg_().add_(1.0).clamp_min_(0.0);
    }
}

/// <summary>Keras' <c>SquaredHinge</c> (<c>squared_hinge</c>): mean of max(1 − y_true·y_pred, 0)² over the last axis; 0/1 labels become −1/1.</summary>
public sealed class SquaredHinge(string? name = null) : Loss(name)
{
    /// <inheritdoc/>
    public override Tensor PerSample(Tensor yTrue, Tensor yPred)
    {
        Labels.RequireSameShape(yTrue, yPred, Name);
        using var margin = Hinge.HingeMargin(yTrue, yPred);
        using var squared = margin.square();
        return MeanOverLastAxis(squared);
    }
}

/// <summary>Keras' <c>CategoricalHinge</c> (<c>categorical_hinge</c>): max(max((1 − y_true)·y_pred) − Σ y_true·y_pred + 1, 0) over the last axis.</summary>
public sealed class CategoricalHinge(string? name = null) : Loss(name)
{
    /// <inheritdoc/>
    public override Tensor PerSample(Tensor yTrue, Tensor yPred)
    {
        Labels.RequireSameShape(yTrue, yPred, Name);
        using var targets = yTrue.to_type(yPred.dtype);
        using var positiveTerms = targets.mul(yPred);
        using var positive = positiveTerms.sum(-1);
        using var negativeTerms = targets.neg().add_(1.0).mul_(yPred);
        using var negative = negativeTerms.amax([-1L]);
        using var difference = negative.sub(positive).add_(1.0);
        return difference.clamp_min(0.0);
    }
}
