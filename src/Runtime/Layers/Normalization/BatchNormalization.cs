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

    /// <summary>
    /// Creates the layer with Keras' arguments and defaults (<c>keras.layers.BatchNormalization</c>).
    /// </summary>
    /// <param name="axis">The features axis, normalized per index (Keras' <c>axis</c>; -1: channels_last).</param>
    /// <param name="momentum">Momentum of the moving mean and variance (Keras' <c>momentum</c>).</param>
    /// <param name="epsilon">Small constant added to the variance to avoid division by zero (Keras'
    /// <c>epsilon</c>).</param>
    /// <param name="center">Whether to add the learned offset <c>beta</c> (Keras' <c>center</c>).</param>
    /// <param name="scale">Whether to multiply by the learned scale <c>gamma</c> (Keras' <c>scale</c>).</param>
    /// <param name="betaInitializer">Initializer of the offset <c>beta</c> (Keras' <c>beta_initializer</c>). Null:
    /// <c>zeros</c>.</param>
    /// <param name="gammaInitializer">Initializer of the scale <c>gamma</c> (Keras' <c>gamma_initializer</c>). Null:
    /// <c>ones</c>.</param>
    /// <param name="movingMeanInitializer">Initializer of the moving mean (Keras' <c>moving_mean_initializer</c>).
    /// Null: <c>zeros</c>.</param>
    /// <param name="movingVarianceInitializer">Initializer of the moving variance (Keras'
    /// <c>moving_variance_initializer</c>). Null: <c>ones</c>.</param>
    /// <param name="inputShape">Per-sample input shape (batch left out; -1 for an unknown dimension), Keras'
    /// <c>input_shape</c>: lets a model build this layer before the first call. Null: built from the first
    /// input.</param>
    /// <param name="name">Layer name (Keras' <c>name</c>), unique within a model; weight paths in saved files start
    /// with it. Null: Keras' automatic name (snake_case class name plus a counter, e.g. <c>dense_1</c>).</param>
    /// <param name="trainable">Whether training updates this layer's weights (Keras' <c>trainable</c>).</param>
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

    /// <summary>The features axis, normalized per index (Keras' <c>axis</c>; -1: channels_last).</summary>
    public int Axis { get; }
    /// <summary>Momentum of the moving mean and variance (Keras' <c>momentum</c>).</summary>
    public double Momentum { get; }
    /// <summary>Small constant added to the variance to avoid division by zero (Keras' <c>epsilon</c>).</summary>
    public double Epsilon { get; }
    /// <summary>Whether to add the learned offset <c>beta</c> (Keras' <c>center</c>).</summary>
    public bool Center { get; }
    /// <summary>Whether to multiply by the learned scale <c>gamma</c> (Keras' <c>scale</c>).</summary>
    public bool Scale { get; }
    /// <summary>Initializer of the offset <c>beta</c> (Keras' <c>beta_initializer</c>).</summary>
    public Initializer BetaInitializer { get; }
    /// <summary>Initializer of the scale <c>gamma</c> (Keras' <c>gamma_initializer</c>).</summary>
    public Initializer GammaInitializer { get; }
    /// <summary>Initializer of the moving mean (Keras' <c>moving_mean_initializer</c>).</summary>
    public Initializer MovingMeanInitializer { get; }
    /// <summary>Initializer of the moving variance (Keras' <c>moving_variance_initializer</c>).</summary>
    public Initializer MovingVarianceInitializer { get; }

    /// <summary>
    /// The <c>gamma</c> weight: the learned scale. Null before the layer is built or when <c>scale</c> is false.
    /// </summary>
    public Variable? Gamma => gamma;
    /// <summary>
    /// The <c>beta</c> weight: the learned offset. Null before the layer is built or when <c>center</c> is false.
    /// </summary>
    public Variable? Beta => beta;
    /// <summary>
    /// The <c>moving_mean</c> weight: the running mean used at inference (non-trainable). Throws
    /// <see cref="InvalidOperationException"/> before the layer is built.
    /// </summary>
    public Variable MovingMean => movingMean ?? throw new InvalidOperationException($"Layer \"{Name}\" is not built yet.");
    /// <summary>
    /// The <c>moving_variance</c> weight: the running variance used at inference (non-trainable). Throws
    /// <see cref="InvalidOperationException"/> before the layer is built.
    /// </summary>
    public Variable MovingVariance => movingVariance ?? throw new InvalidOperationException($"Layer \"{Name}\" is not built yet.");

    /// <summary>The normalized axis of a batch of rank <paramref name="rank"/> (1 .. rank-1), or -1 when out of range.</summary>
    int ResolveAxis(int rank)
    {
        int axis = Axis < 0 ? Axis + rank : Axis;
        return axis >= 1 && axis < rank ? axis : -1;
    }

    /// <inheritdoc/>
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

    /// <inheritdoc/>
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
