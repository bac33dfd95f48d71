using static TorchSharp.torch;

namespace Layerwise.Training.Losses;

/// <summary>Keras' <c>MeanAbsoluteError</c> (<c>mae</c>): mean of |y_pred − y_true| over the last axis.</summary>
public sealed class MeanAbsoluteError(string? name = null) : Loss(name)
{
    /// <inheritdoc/>
    public override Tensor PerSample(Tensor yTrue, Tensor yPred)
    {
        Labels.RequireSameShape(yTrue, yPred, Name);
        using var targets = yTrue.to_type(yPred.dtype);
        using var absolute = yPred.sub(targets).abs_();
        return MeanOverLastAxis(absolute);
    }
}
