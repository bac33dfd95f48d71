using static TorchSharp.torch;

namespace Layerwise.Training.Optimizers;

/// <summary>
/// Keras 3's Adagrad: a ← a + g²; θ ← θ − lr·g / √(a + ε) (ε inside the root, as Keras 3 and
/// tf.keras ≥ 2.11). The accumulator starts at <c>initial_accumulator_value</c> (0.1). Defaults: lr 0.001, ε 1e-7.
/// </summary>
public sealed class Adagrad : Optimizer
{
    /// <summary>Keras' <c>keras.optimizers.Adagrad</c>, with Keras' defaults.</summary>
    /// <param name="learningRate">Step size (Keras' <c>learning_rate</c>).</param>
    /// <param name="initialAccumulatorValue">Starting value of the accumulators (Keras'
    /// <c>initial_accumulator_value</c>).</param>
    /// <param name="epsilon">Small constant for numerical stability (Keras' <c>epsilon</c>).</param>
    /// <param name="name">The optimizer's name. Null: the snake_case class name.</param>
    public Adagrad(double learningRate = 0.001, double initialAccumulatorValue = 0.1, double epsilon = 1e-7, string? name = null)
        : base(learningRate, name)
    {
        if (initialAccumulatorValue < 0)
            throw new ArgumentOutOfRangeException(nameof(initialAccumulatorValue), initialAccumulatorValue, "The initial accumulator value must be zero or positive.");
        InitialAccumulatorValue = initialAccumulatorValue;
        Epsilon = epsilon;
    }

    /// <summary>Starting value of the accumulators (Keras' <c>initial_accumulator_value</c>).</summary>
    public double InitialAccumulatorValue { get; }
    /// <summary>Small constant for numerical stability (Keras' <c>epsilon</c>).</summary>
    public double Epsilon { get; }

    /// <inheritdoc/>
    public override IReadOnlyList<string> SlotNames { get; } = ["accumulator"];

    /// <inheritdoc/>
    protected override double InitialSlotValue(string slotName) => InitialAccumulatorValue;

    /// <inheritdoc/>
    protected override void Update(Tensor variable, Tensor gradient, Tensor[] slots, long step)
    {
        var accumulator = slots[0];
        accumulator.addcmul_(gradient, gradient, value: 1);
        using var denominator = accumulator.add(Epsilon).sqrt_();
        variable.addcdiv_(gradient, denominator, value: -LearningRate);
    }
}
