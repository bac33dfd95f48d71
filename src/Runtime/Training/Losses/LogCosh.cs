using static TorchSharp.torch;

namespace Layerwise.Training.Losses;

/// <summary>
/// Keras' <c>LogCosh</c> (<c>log_cosh</c>, <c>logcosh</c>): mean of log(cosh(x)) over the last axis, x = y_pred − y_true,
/// computed as Keras does, x + softplus(−2x) − log 2, which does not overflow for large |x|.
/// </summary>
public sealed class LogCosh(string? name = null) : Loss(name)
{
    /// <inheritdoc/>
    public override Tensor PerSample(Tensor yTrue, Tensor yPred)
    {
        Labels.RequireSameShape(yTrue, yPred, Name);
        using var x = yPred.sub(yTrue.to_type(yPred.dtype));
        using var doubledNegative = x.mul(-2.0);
        using var softplus = nn.functional.softplus(doubledNegative);
        using var elementwise = x.add(softplus).sub_(Math.Log(2.0));
        return MeanOverLastAxis(elementwise);
    }
}
