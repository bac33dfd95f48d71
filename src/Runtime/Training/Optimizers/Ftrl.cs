using static TorchSharp.torch;

namespace Layerwise.Training.Optimizers;

/// <summary>
/// Keras' FTRL-proximal (McMahan et al.), with p = <c>learning_rate_power</c> (−0.5), accumulator n and linear z:
/// n′ = n + g²; z ← z + g + 2·λ₂ₛθ − (n′⁻ᵖ − n⁻ᵖ)/lr·θ; q = n′⁻ᵖ/lr + 2(λ₂ + β/(2·lr));
/// θ ← (clip(z, −λ₁, λ₁) − z) / q; n ← n′. The accumulator starts at <c>initial_accumulator_value</c> (0.1).
/// </summary>
public sealed class Ftrl : Optimizer
{
    /// <summary>Keras' <c>keras.optimizers.Ftrl</c>, with Keras' defaults.</summary>
    /// <param name="learningRate">Step size (Keras' <c>learning_rate</c>).</param>
    /// <param name="learningRatePower">How the learning rate falls as the accumulator grows; ≤ 0 (Keras'
    /// <c>learning_rate_power</c>).</param>
    /// <param name="initialAccumulatorValue">Starting value of the accumulators (Keras'
    /// <c>initial_accumulator_value</c>).</param>
    /// <param name="l1RegularizationStrength">L1 regularization; ≥ 0 (Keras'
    /// <c>l1_regularization_strength</c>).</param>
    /// <param name="l2RegularizationStrength">L2 regularization; ≥ 0 (Keras'
    /// <c>l2_regularization_strength</c>).</param>
    /// <param name="l2ShrinkageRegularizationStrength">L2 shrinkage regularization, applied to the gradient; ≥ 0
    /// (Keras' <c>l2_shrinkage_regularization_strength</c>).</param>
    /// <param name="beta">Keras' <c>beta</c> of FTRL; 0 is the plain algorithm.</param>
    /// <param name="name">The optimizer's name. Null: the snake_case class name.</param>
    public Ftrl(double learningRate = 0.001, double learningRatePower = -0.5, double initialAccumulatorValue = 0.1,
                double l1RegularizationStrength = 0.0, double l2RegularizationStrength = 0.0,
                double l2ShrinkageRegularizationStrength = 0.0, double beta = 0.0, string? name = null)
        : base(learningRate, name)
    {
        // The same checks, and the same order, as Keras' constructor.
        if (initialAccumulatorValue < 0) throw new ArgumentOutOfRangeException(nameof(initialAccumulatorValue), initialAccumulatorValue, "initial_accumulator_value must be zero or positive.");
        if (learningRatePower > 0) throw new ArgumentOutOfRangeException(nameof(learningRatePower), learningRatePower, "learning_rate_power must be zero or negative.");
        if (l1RegularizationStrength < 0) throw new ArgumentOutOfRangeException(nameof(l1RegularizationStrength), l1RegularizationStrength, "l1_regularization_strength must be zero or positive.");
        if (l2RegularizationStrength < 0) throw new ArgumentOutOfRangeException(nameof(l2RegularizationStrength), l2RegularizationStrength, "l2_regularization_strength must be zero or positive.");
        if (l2ShrinkageRegularizationStrength < 0) throw new ArgumentOutOfRangeException(nameof(l2ShrinkageRegularizationStrength), l2ShrinkageRegularizationStrength, "l2_shrinkage_regularization_strength must be zero or positive.");
        LearningRatePower = learningRatePower;
        InitialAccumulatorValue = initialAccumulatorValue;
        L1RegularizationStrength = l1RegularizationStrength;
        L2RegularizationStrength = l2RegularizationStrength;
        L2ShrinkageRegularizationStrength = l2ShrinkageRegularizationStrength;
        Beta = beta;
    }

    /// <summary>
    /// How the learning rate falls as the accumulator grows; ≤ 0 (Keras' <c>learning_rate_power</c>).
    /// </summary>
    public double LearningRatePower { get; }
    /// <summary>Starting value of the accumulators (Keras' <c>initial_accumulator_value</c>).</summary>
    public double InitialAccumulatorValue { get; }
    /// <summary>L1 regularization; ≥ 0 (Keras' <c>l1_regularization_strength</c>).</summary>
    public double L1RegularizationStrength { get; }
    /// <summary>L2 regularization; ≥ 0 (Keras' <c>l2_regularization_strength</c>).</summary>
    public double L2RegularizationStrength { get; }
    /// <summary>
    /// L2 shrinkage regularization, applied to the gradient; ≥ 0 (Keras' <c>l2_shrinkage_regularization_strength</c>).
    /// </summary>
    public double L2ShrinkageRegularizationStrength { get; }
    /// <summary>Keras' <c>beta</c> of FTRL; 0 is the plain algorithm.</summary>
    public double Beta { get; }

    /// <inheritdoc/>
    public override IReadOnlyList<string> SlotNames { get; } = ["accumulator", "linear"];

    /// <inheritdoc/>
    protected override double InitialSlotValue(string slotName) => slotName == "accumulator" ? InitialAccumulatorValue : 0.0;

    /// <inheritdoc/>
    protected override void Update(Tensor variable, Tensor gradient, Tensor[] slots, long step)
    {
        var (accumulator, linear) = (slots[0], slots[1]);
        double l2 = L2RegularizationStrength + Beta / (2 * LearningRate);
        using var newAccumulator = accumulator.addcmul(gradient, gradient, value: 1);
        using var newPower = newAccumulator.pow(-LearningRatePower);
        using var oldPower = accumulator.pow(-LearningRatePower);
        using var sigmaTheta = newPower.sub(oldPower).div_(LearningRate);
        sigmaTheta.mul_(variable);
        using var shrunkGradient = gradient.add(variable, alpha: 2 * L2ShrinkageRegularizationStrength);
        linear.add_(shrunkGradient).sub_(sigmaTheta);
        using var quadratic = newPower.div(LearningRate).add_(2 * l2);
        using var clipped = linear.clamp(-L1RegularizationStrength, L1RegularizationStrength);
        clipped.sub_(linear).div_(quadratic);
        variable.copy_(clipped);
        accumulator.copy_(newAccumulator);
    }
}
