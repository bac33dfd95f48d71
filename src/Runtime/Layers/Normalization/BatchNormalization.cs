using Layerwise.Initializers;
using static TorchSharp.torch;

namespace Layerwise.Layers;

/// <summary>
/// Keras' <c>BatchNormalization</c> over the feature axis <see cref="Axis"/> (counted with the batch
/// axis, -1 by default): <c>gamma · (x - mean) / sqrt(variance + epsilon) + beta</c>. At inference the
/// moving statistics are used; in training (and only when the layer is trainable, as Keras 2.x/3)
/// the batch's mean and biased variance are, and the moving statistics are updated as Keras does:
/// <c>moving = moving · momentum + batch · (1 - momentum)</c>. Weights in Keras' order: gamma, beta
/// (trainable, present with <see cref="Scale"/>/<see cref="Center"/>), moving_mean, moving_variance
/// (non-trainable, saved in every format).
/// </summary>
[Layer(Module = "keras.layers")]
public partial class BatchNormalization : Layer
{
    Variable? gamma, beta, movingMean, movingVariance;

    public BatchNormalization(int axis = -1, double momentum = 0.99, double epsilon = 1e-3, bool center = true, bool scale = true,
                              Initializer? betaInitializer = null, Initializer? gammaInitializer = null,
                              Initializer? movingMeanInitializer = null, Initializer? movingVarianceInitializer = null,
                              long[]? inputShape = null, string? name = null, bool trainable = true)
        : base(name, trainable, inputShape)
    {
        if (!(epsilon > 0)) throw new ArgumentOutOfRangeException(nameof(epsilon), epsilon, "BatchNormalization needs a positive epsilon.");
        if (momentum is < 0 or > 1 || double.IsNaN(momentum))
            throw new ArgumentOutOfRangeException(nameof(momentum), momentum, "BatchNormalization needs a momentum in [0, 1].");
        if (axis == 0) throw new ArgumentOutOfRangeException(nameof(axis), axis, "BatchNormalization cannot normalize over the batch axis (0).");
        Axis = axis;
        Momentum = momentum;
        Epsilon = epsilon;
        Center = center;
        Scale = scale;
        BetaInitializer = betaInitializer ?? new Zeros();
        GammaInitializer = gammaInitializer ?? new Ones();
        MovingMeanInitializer = movingMeanInitializer ?? new Zeros();
        MovingVarianceInitializer = movingVarianceInitializer ?? new Ones();
    }

    public int Axis { get; }
    public double Momentum { get; }
    public double Epsilon { get; }
    public bool Center { get; }
    public bool Scale { get; }
    public Initializer BetaInitializer { get; }
    public Initializer GammaInitializer { get; }
    public Initializer MovingMeanInitializer { get; }
    public Initializer MovingVarianceInitializer { get; }

    public Variable? Gamma => gamma;
    public Variable? Beta => beta;
    public Variable MovingMean => movingMean ?? throw new InvalidOperationException($"Layer \"{Name}\" is not built yet.");
    public Variable MovingVariance => movingVariance ?? throw new InvalidOperationException($"Layer \"{Name}\" is not built yet.");

    /// <summary>The normalized axis of a batch of rank <paramref name="rank"/> (1 .. rank-1), or -1 when out of range.</summary>
    int ResolveAxis(int rank)
    {
        int axis = Axis < 0 ? Axis + rank : Axis;
        return axis >= 1 && axis < rank ? axis : -1;
    }

    protected override void Build(long[] inputShape)
    {
        int axis = ResolveAxis(inputShape.Length + 1);
        if (axis < 0)
            throw new IncompatibleShapeException(Name, $"an input with axis {Axis} (the batch axis is 0)", [-1, .. inputShape]);
        long features = Dimensions.RequireKnown(inputShape, axis - 1, Name, ClassName, $"axis {Axis}");
        if (Scale) gamma = AddWeight("gamma", [features], GammaInitializer);
        if (Center) beta = AddWeight("beta", [features], BetaInitializer);
        movingMean = AddWeight("moving_mean", [features], MovingMeanInitializer, trainable: false);
        movingVariance = AddWeight("moving_variance", [features], MovingVarianceInitializer, trainable: false);
    }

    public override Tensor Call(Tensor inputs, bool training = false)
    {
        using var scope = NewDisposeScope();
        int rank = (int)inputs.dim();
        int axis = ResolveAxis(rank);
        long[] reduce = [.. Enumerable.Range(0, rank).Where(d => d != axis).Select(d => (long)d)];
        long[] broadcast = [.. Enumerable.Range(0, rank).Select(d => d == axis ? -1L : 1L)];
        Tensor mean, variance;
        if (training && Trainable)
        {
            mean = inputs.mean(reduce);
            variance = inputs.var(reduce, unbiased: false);
            using (no_grad())
            {
                MovingMean.Value.mul_(Momentum).add_(mean.detach(), alpha: 1 - Momentum);
                MovingVariance.Value.mul_(Momentum).add_(variance.detach(), alpha: 1 - Momentum);
            }
        }
        else
        {
            mean = MovingMean.Value;
            variance = MovingVariance.Value;
        }
        // tf.nn.batch_normalization's form: x · inv + (beta - mean · inv), inv = gamma / sqrt(variance + epsilon).
        var inv = variance.add(Epsilon).rsqrt();
        if (gamma is not null) inv = inv.mul(gamma.Value);
        var shift = mean.mul(inv).neg();
        if (beta is not null) shift = shift.add(beta.Value);
        var output = inputs.mul(inv.reshape(broadcast)).add(shift.reshape(broadcast));
        return scope.MoveToOuter(output);
    }
}
