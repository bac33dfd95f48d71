using static TorchSharp.torch;

namespace Layerwise.Training.Optimizers;

/// <summary>
/// Keras' FTRL-proximal (McMahan et al.), with p = <c>learning_rate_power</c> (−0.5), accumulator n and linear z:
/// n′ = n + g²; z ← z + g + 2·λ₂ₛθ − (n′⁻ᵖ − n⁻ᵖ)/lr·θ; q = n′⁻ᵖ/lr + 2(λ₂ + β/(2·lr));
/// θ ← (clip(z, −λ₁, λ₁) − z) / q; n ← n′. The accumulator starts at <c>initial_accumulator_value</c> (0.1).
/// </summary>
public sealed class Ftrl : Optimizer
{
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

    public double LearningRatePower { get; }
    public double InitialAccumulatorValue { get; }
    public double L1RegularizationStrength { get; }
    public double L2RegularizationStrength { get; }
    public double L2ShrinkageRegularizationStrength { get; }
    public double Beta { get; }

    public override IReadOnlyList<string> SlotNames { get; } = ["accumulator", "linear"];

    protected override double InitialSlotValue(string slotName) => slotName == "accumulator" ? InitialAccumulatorValue : 0.0;

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
