using static TorchSharp.torch;

namespace Layerwise.Training.Optimizers;

/// <summary>
/// Keras' Adam: m ← m + (g − m)(1 − β1); v ← v + (g² − v)(1 − β2);
/// θ ← θ − lr·√(1 − β2ᵗ)/(1 − β1ᵗ) · m / (√v + ε), with ε = 1e-7 (Keras' default, not torch's 1e-8).
/// With <c>amsgrad</c> the denominator uses v̂ ← max(v̂, v), kept as a third slot.
/// </summary>
public class Adam : Optimizer
{
    /// <summary>Keras' <c>keras.optimizers.Adam</c>, with Keras' defaults.</summary>
    /// <param name="learningRate">Step size (Keras' <c>learning_rate</c>).</param>
    /// <param name="beta1">Decay rate of the first-moment estimates (Keras' <c>beta_1</c>).</param>
    /// <param name="beta2">Decay rate of the second-moment estimates (Keras' <c>beta_2</c>).</param>
    /// <param name="epsilon">Small constant for numerical stability (Keras' <c>epsilon</c>).</param>
    /// <param name="amsgrad">Whether to use the AMSGrad variant, keeping the maximum of past second moments (Keras'
    /// <c>amsgrad</c>).</param>
    /// <param name="name">The optimizer's name. Null: the snake_case class name.</param>
    public Adam(double learningRate = 0.001, double beta1 = 0.9, double beta2 = 0.999, double epsilon = 1e-7,
                bool amsgrad = false, string? name = null)
        : base(learningRate, name)
    {
        Beta1 = beta1;
        Beta2 = beta2;
        Epsilon = epsilon;
        Amsgrad = amsgrad;
        SlotNames = amsgrad ? ["m", "v", "vhat"] : ["m", "v"];
    }

    /// <summary>Decay rate of the first-moment estimates (Keras' <c>beta_1</c>).</summary>
    public double Beta1 { get; }
    /// <summary>Decay rate of the second-moment estimates (Keras' <c>beta_2</c>).</summary>
    public double Beta2 { get; }
    /// <summary>Small constant for numerical stability (Keras' <c>epsilon</c>).</summary>
    public double Epsilon { get; }
    /// <summary>
    /// Whether to use the AMSGrad variant, keeping the maximum of past second moments (Keras' <c>amsgrad</c>).
    /// </summary>
    public bool Amsgrad { get; }

    /// <inheritdoc/>
    public override IReadOnlyList<string> SlotNames { get; }

    /// <inheritdoc/>
    protected override void Update(Tensor variable, Tensor gradient, Tensor[] slots, long step)
    {
        var (m, v) = (slots[0], slots[1]);
        double alpha = LearningRate * Math.Sqrt(1 - Math.Pow(Beta2, step)) / (1 - Math.Pow(Beta1, step));
        m.lerp_(gradient, 1 - Beta1);
        v.mul_(Beta2).addcmul_(gradient, gradient, value: 1 - Beta2);
        if (Amsgrad)
        {
            using (var maximum = slots[2].maximum(v)) slots[2].copy_(maximum);
            v = slots[2];
        }
        using var denominator = v.sqrt().add_(Epsilon);
        variable.addcdiv_(m, denominator, value: -alpha);
    }
}
