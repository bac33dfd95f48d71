using static TorchSharp.torch;

namespace Layerwise.Training.Optimizers;

/// <summary>
/// Keras' Adamax (Adam with the infinity norm): m ← m + (g − m)(1 − β1); u ← max(β2·u, |g|);
/// θ ← θ − lr·m / ((1 − β1ᵗ)(u + ε)). Defaults: lr 0.001, β 0.9/0.999, ε 1e-7.
/// </summary>
public sealed class Adamax(double learningRate = 0.001, double beta1 = 0.9, double beta2 = 0.999, double epsilon = 1e-7,
                           string? name = null) : Optimizer(learningRate, name)
{
    /// <summary>Decay rate of the first-moment estimates (Keras' <c>beta_1</c>).</summary>
    public double Beta1 { get; } = beta1;
    /// <summary>Decay rate of the second-moment estimates (Keras' <c>beta_2</c>).</summary>
    public double Beta2 { get; } = beta2;
    /// <summary>Small constant for numerical stability (Keras' <c>epsilon</c>).</summary>
    public double Epsilon { get; } = epsilon;

    /// <inheritdoc/>
    public override IReadOnlyList<string> SlotNames { get; } = ["momentum", "norm"];

    /// <inheritdoc/>
    protected override void Update(Tensor variable, Tensor gradient, Tensor[] slots, long step)
    {
        var (m, u) = (slots[0], slots[1]);
        m.lerp_(gradient, 1 - Beta1);
        using var absolute = gradient.abs();
        using (var maximum = u.mul_(Beta2).maximum(absolute)) u.copy_(maximum);
        using var denominator = u.add(Epsilon).mul_(1 - Math.Pow(Beta1, step));
        variable.addcdiv_(m, denominator, value: -LearningRate);
    }
}
