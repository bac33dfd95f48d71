using static TorchSharp.torch;

namespace Layerwise.Training.Optimizers;

/// <summary>
/// Keras' Adadelta: a ← ρa + (1 − ρ)g²; Δ ← −√(d + ε)·g / √(a + ε); d ← ρd + (1 − ρ)Δ²; θ ← θ + lr·Δ.
/// Defaults as Keras 3 and tf.keras ≥ 2: lr 0.001, ρ 0.95, ε 1e-7.
/// </summary>
public sealed class Adadelta(double learningRate = 0.001, double rho = 0.95, double epsilon = 1e-7, string? name = null)
    : Optimizer(learningRate, name)
{
    /// <summary>Decay rate of the moving average of squared gradients (Keras' <c>rho</c>).</summary>
    public double Rho { get; } = rho;
    /// <summary>Small constant for numerical stability (Keras' <c>epsilon</c>).</summary>
    public double Epsilon { get; } = epsilon;

    /// <inheritdoc/>
    public override IReadOnlyList<string> SlotNames { get; } = ["accumulated_grad", "accumulated_delta_var"];

    /// <inheritdoc/>
    protected override void Update(Tensor variable, Tensor gradient, Tensor[] slots, long step)
    {
        var (accumulatedGrad, accumulatedDelta) = (slots[0], slots[1]);
        accumulatedGrad.mul_(Rho).addcmul_(gradient, gradient, value: 1 - Rho);
        using var rmsGrad = accumulatedGrad.add(Epsilon).sqrt_();
        using var delta = accumulatedDelta.add(Epsilon).sqrt_();   // becomes Δ in place
        delta.mul_(gradient).div_(rmsGrad).neg_();
        accumulatedDelta.mul_(Rho).addcmul_(delta, delta, value: 1 - Rho);
        variable.add_(delta, alpha: LearningRate);
    }
}
