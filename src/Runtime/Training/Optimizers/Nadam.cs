using static TorchSharp.torch;

namespace Layerwise.Training.Optimizers;

/// <summary>
/// Keras 3's (and tf.keras ≥ 2.11's) Nadam: Adam with Nesterov momentum under the schedule
/// μₜ = β1(1 − ½·0.96ᵗ). With Πₜ = μ₁⋯μₜ: m ← m + (g − m)(1 − β1); v ← v + (g² − v)(1 − β2);
/// m̂ = μₜ₊₁m / (1 − Πₜμₜ₊₁) + (1 − μₜ)g / (1 − Πₜ); v̂ = v / (1 − β2ᵗ); θ ← θ − lr·m̂ / (√v̂ + ε).
/// Πₜ (Keras' <c>u_product</c>) depends only on the step, so it is recomputed rather than stored:
/// a model resumed from any file continues exactly as if it had not stopped.
/// </summary>
public sealed class Nadam(double learningRate = 0.001, double beta1 = 0.9, double beta2 = 0.999, double epsilon = 1e-7,
                          string? name = null) : Optimizer(learningRate, name)
{
    double uProduct = 1.0;
    long uProductStep;

    /// <summary>Decay rate of the first-moment estimates (Keras' <c>beta_1</c>).</summary>
    public double Beta1 { get; } = beta1;
    /// <summary>Decay rate of the second-moment estimates (Keras' <c>beta_2</c>).</summary>
    public double Beta2 { get; } = beta2;
    /// <summary>Small constant for numerical stability (Keras' <c>epsilon</c>).</summary>
    public double Epsilon { get; } = epsilon;

    /// <inheritdoc/>
    public override IReadOnlyList<string> SlotNames { get; } = ["momentum", "velocity"];

    /// <summary>Keras' <c>u_product</c> after <paramref name="step"/> steps: the product of the momentum schedule μ₁⋯μₜ.</summary>
    public double MomentumScheduleProduct(long step)
    {
        if (step != uProductStep)
        {
            // Multiplied in step order from 1 every time, so the value never depends on where training resumed.
            double product = 1.0;
            for (long t = 1; t <= step; t++) product *= Schedule(t);
            (uProduct, uProductStep) = (product, step);
        }
        return uProduct;
    }

    double Schedule(long t) => Beta1 * (1 - 0.5 * Math.Pow(0.96, t));

    /// <inheritdoc/>
    protected override void BeginStep(long step)
    {
        if (step == uProductStep + 1) (uProduct, uProductStep) = (uProduct * Schedule(step), step);
        else MomentumScheduleProduct(step);
    }

    /// <inheritdoc/>
    protected override void Update(Tensor variable, Tensor gradient, Tensor[] slots, long step)
    {
        var (m, v) = (slots[0], slots[1]);
        double u = Schedule(step), uNext = Schedule(step + 1);
        double product = MomentumScheduleProduct(step), productNext = product * uNext;
        m.lerp_(gradient, 1 - Beta1);
        v.mul_(Beta2).addcmul_(gradient, gradient, value: 1 - Beta2);
        using var mHat = m.mul(uNext / (1 - productNext)).add_(gradient, alpha: (1 - u) / (1 - product));
        using var denominator = v.div(1 - Math.Pow(Beta2, step)).sqrt_().add_(Epsilon);
        variable.addcdiv_(mHat, denominator, value: -LearningRate);
    }
}
