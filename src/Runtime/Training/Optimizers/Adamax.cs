using static TorchSharp.torch;

namespace Layerwise.Training.Optimizers;

/// <summary>
/// Keras' Adamax (Adam with the infinity norm): m ← m + (g − m)(1 − β1); u ← max(β2·u, |g|);
/// θ ← θ − lr·m / ((1 − β1ᵗ)(u + ε)). Defaults: lr 0.001, β 0.9/0.999, ε 1e-7.
/// </summary>
public sealed class Adamax(double learningRate = 0.001, double beta1 = 0.9, double beta2 = 0.999, double epsilon = 1e-7,
                           string? name = null) : Optimizer(learningRate, name)
{
    public double Beta1 { get; } = beta1;
    public double Beta2 { get; } = beta2;
    public double Epsilon { get; } = epsilon;

    public override IReadOnlyList<string> SlotNames { get; } = ["momentum", "norm"];

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
