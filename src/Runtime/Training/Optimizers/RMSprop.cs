using static TorchSharp.torch;

namespace Layerwise.Training.Optimizers;

/// <summary>
/// Keras 3's RMSprop: s ← ρs + (1 − ρ)g²; θ ← θ − lr·g / √(s + ε) (ε inside the root, as Keras 3
/// and tf.keras ≥ 2.11 do), with optional momentum and centering. Defaults: lr 0.001, ρ 0.9, ε 1e-7.
/// </summary>
public sealed class RMSprop : Optimizer
{
    /// <summary>Keras' <c>keras.optimizers.RMSprop</c>, with Keras' defaults.</summary>
    /// <param name="learningRate">Step size (Keras' <c>learning_rate</c>).</param>
    /// <param name="rho">Decay rate of the moving average of squared gradients (Keras' <c>rho</c>).</param>
    /// <param name="momentum">Momentum factor; 0 for plain updates (Keras' <c>momentum</c>).</param>
    /// <param name="epsilon">Small constant for numerical stability (Keras' <c>epsilon</c>).</param>
    /// <param name="centered">Whether to normalize by the centered second moment (the gradients' variance) (Keras'
    /// <c>centered</c>).</param>
    /// <param name="name">The optimizer's name. Null: the snake_case class name.</param>
    public RMSprop(double learningRate = 0.001, double rho = 0.9, double momentum = 0.0, double epsilon = 1e-7,
                   bool centered = false, string? name = null)
        : base(learningRate, name)
    {
        Rho = rho;
        Momentum = momentum;
        Epsilon = epsilon;
        Centered = centered;
        var names = new List<string> { "velocity" };
        if (momentum > 0) names.Add("momentum");
        if (centered) names.Add("average_gradient");
        SlotNames = names;
    }

    /// <summary>Decay rate of the moving average of squared gradients (Keras' <c>rho</c>).</summary>
    public double Rho { get; }
    /// <summary>Momentum factor; 0 for plain updates (Keras' <c>momentum</c>).</summary>
    public double Momentum { get; }
    /// <summary>Small constant for numerical stability (Keras' <c>epsilon</c>).</summary>
    public double Epsilon { get; }
    /// <summary>
    /// Whether to normalize by the centered second moment (the gradients' variance) (Keras' <c>centered</c>).
    /// </summary>
    public bool Centered { get; }

    /// <inheritdoc/>
    public override IReadOnlyList<string> SlotNames { get; }

    /// <inheritdoc/>
    protected override void Update(Tensor variable, Tensor gradient, Tensor[] slots, long step)
    {
        var velocity = slots[0];
        velocity.mul_(Rho).addcmul_(gradient, gradient, value: 1 - Rho);
        using var denominator = velocity.add(Epsilon);
        if (Centered)
        {
            var average = slots[Momentum > 0 ? 2 : 1];
            average.mul_(Rho).add_(gradient, alpha: 1 - Rho);
            denominator.sub_(average.square());
        }
        using var increment = gradient.mul(LearningRate).mul_(denominator.rsqrt_());
        if (Momentum > 0)
        {
            var m = slots[1];
            m.mul_(Momentum).add_(increment);
            variable.sub_(m);
        }
        else
        {
            variable.sub_(increment);
        }
    }
}
