using static TorchSharp.torch;

namespace Layerwise.Training.Losses;

/// <summary>Mean of squared differences over the last axis, averaged over the batch.</summary>
public sealed class MeanSquaredError(string? name = null) : Loss(name)
{
    /// <inheritdoc/>
    public override Tensor PerSample(Tensor yTrue, Tensor yPred)
    {
        Labels.RequireSameShape(yTrue, yPred, Name);
        using var difference = yPred.sub(yTrue.to_type(yPred.dtype));
        using var squared = difference.square();
        return MeanOverLastAxis(squared);
    }
}
