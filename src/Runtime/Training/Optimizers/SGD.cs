using static TorchSharp.torch;

namespace Layerwise.Training.Optimizers;

/// <summary>
/// Keras' SGD: without momentum θ ← θ − lr·g; with momentum m ← μm − lr·g and θ ← θ + m,
/// or with Nesterov θ ← θ + μm − lr·g. Default learning rate 0.01 as in Keras.
/// </summary>
public sealed class SGD : Optimizer
{
    /// <summary>Keras' <c>keras.optimizers.SGD</c>, with Keras' defaults.</summary>
    /// <param name="learningRate">Step size (Keras' <c>learning_rate</c>).</param>
    /// <param name="momentum">Momentum factor; 0 for plain updates (Keras' <c>momentum</c>).</param>
    /// <param name="nesterov">Whether to use Nesterov momentum (Keras' <c>nesterov</c>).</param>
    /// <param name="name">The optimizer's name. Null: the snake_case class name.</param>
    public SGD(double learningRate = 0.01, double momentum = 0.0, bool nesterov = false, string? name = null)
        : base(learningRate, name)
    {
        if (momentum is < 0 or > 1) throw new ArgumentOutOfRangeException(nameof(momentum), momentum, "Momentum must be in [0, 1].");
        Momentum = momentum;
        Nesterov = nesterov;
        SlotNames = momentum > 0 ? ["momentum"] : [];
    }

    /// <summary>Momentum factor; 0 for plain updates (Keras' <c>momentum</c>).</summary>
    public double Momentum { get; }
    /// <summary>Whether to use Nesterov momentum (Keras' <c>nesterov</c>).</summary>
    public bool Nesterov { get; }

    /// <inheritdoc/>
    public override IReadOnlyList<string> SlotNames { get; }

    /// <inheritdoc/>
    protected override void Update(Tensor variable, Tensor gradient, Tensor[] slots, long step)
    {
        if (Momentum == 0)
        {
            variable.add_(gradient, alpha: -LearningRate);
            return;
        }
        var m = slots[0];
        m.mul_(Momentum).add_(gradient, alpha: -LearningRate);
        if (Nesterov)
            variable.add_(m, alpha: Momentum).add_(gradient, alpha: -LearningRate);
        else
            variable.add_(m);
    }
}
