using static TorchSharp.torch;

namespace Layerwise.Training.Losses;

/// <summary>
/// Keras' <c>Huber</c> (<c>huber</c>, <c>huber_loss</c>): with x = y_pred − y_true, ½x² where |x| ≤ δ and
/// δ|x| − ½δ² beyond, averaged over the last axis. Default δ 1.0 and name <c>huber_loss</c>, as Keras.
/// </summary>
public sealed class Huber(double delta = 1.0, string? name = null) : Loss(name ?? "huber_loss")
{
    /// <summary>Where the loss turns from quadratic to linear (Keras' <c>delta</c>).</summary>
    public double Delta { get; } = delta;

    /// <inheritdoc/>
    public override Tensor PerSample(Tensor yTrue, Tensor yPred)
    {
        Labels.RequireSameShape(yTrue, yPred, Name);
        using var error = yPred.sub(yTrue.to_type(yPred.dtype));
        using var absolute = error.abs();
        using var quadratic = error.square().mul_(0.5);
        using var linear = absolute.mul(Delta).sub_(0.5 * Delta * Delta);
        using var inside = absolute.le(Delta);
        using var elementwise = where(inside, quadratic, linear);
        return MeanOverLastAxis(elementwise);
    }
}
