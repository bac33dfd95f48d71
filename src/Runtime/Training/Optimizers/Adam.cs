using static TorchSharp.torch;

namespace Layerwise.Training.Optimizers;

/// <summary>
/// Keras' Adam: m ← m + (g − m)(1 − β1); v ← v + (g² − v)(1 − β2);
/// θ ← θ − lr·√(1 − β2ᵗ)/(1 − β1ᵗ) · m / (√v + ε), with ε = 1e-7 (Keras' default, not torch's 1e-8).
/// </summary>
public sealed class Adam(double learningRate = 0.001, double beta1 = 0.9, double beta2 = 0.999,
                         double epsilon = 1e-7, string? name = null) : Optimizer(learningRate, name)
{
    public double Beta1 { get; } = beta1;
    public double Beta2 { get; } = beta2;
    public double Epsilon { get; } = epsilon;

    public override IReadOnlyList<string> SlotNames { get; } = ["m", "v"];

    protected override void Update(Tensor variable, Tensor gradient, Tensor[] slots, long step)
    {
        var (m, v) = (slots[0], slots[1]);
        double alpha = LearningRate * Math.Sqrt(1 - Math.Pow(Beta2, step)) / (1 - Math.Pow(Beta1, step));
        m.lerp_(gradient, 1 - Beta1);
        v.mul_(Beta2).addcmul_(gradient, gradient, value: 1 - Beta2);
        using var denominator = v.sqrt().add_(Epsilon);
        variable.addcdiv_(m, denominator, value: -alpha);
    }
}
