using Layerwise.Initializers;
using static TorchSharp.torch;

namespace Layerwise.Layers;

/// <summary>
/// Keras' <c>LayerNormalization</c>: each sample is normalized over <see cref="Axis"/> (counted with
/// the batch axis, as Keras; -1 by default) with its own mean and biased variance,
/// <c>gamma · (x - mean) / sqrt(variance + epsilon) + beta</c>, the same in training and inference.
/// Weights in Keras' order: gamma (with <see cref="Scale"/>), beta (with <see cref="Center"/>), each of
/// the normalized axes' sizes in <see cref="Axis"/> order. Keras writes <c>axis</c> as a number or,
/// once built, as a list (<c>[2]</c>); both are read, and a list is written.
/// </summary>
[Layer(Module = "keras.layers")]
public partial class LayerNormalization : Layer
{
    Variable? gamma, beta;
    int[]? resolvedAxes;

    /// <summary>
    /// Creates the layer with Keras' arguments and defaults (<c>keras.layers.LayerNormalization</c>).
    /// </summary>
    /// <param name="axis">Axes normalized over, per sample (Keras' <c>axis</c>; batch counted). Null: the last
    /// axis.</param>
    /// <param name="epsilon">Small constant added to the variance to avoid division by zero (Keras'
    /// <c>epsilon</c>).</param>
    /// <param name="center">Whether to add the learned offset <c>beta</c> (Keras' <c>center</c>).</param>
    /// <param name="scale">Whether to multiply by the learned scale <c>gamma</c> (Keras' <c>scale</c>).</param>
    /// <param name="betaInitializer">Initializer of the offset <c>beta</c> (Keras' <c>beta_initializer</c>). Null:
    /// <c>zeros</c>.</param>
    /// <param name="gammaInitializer">Initializer of the scale <c>gamma</c> (Keras' <c>gamma_initializer</c>). Null:
    /// <c>ones</c>.</param>
    /// <param name="inputShape">Per-sample input shape (batch left out; -1 for an unknown dimension), Keras'
    /// <c>input_shape</c>: lets a model build this layer before the first call. Null: built from the first
    /// input.</param>
    /// <param name="name">Layer name (Keras' <c>name</c>), unique within a model; weight paths in saved files start
    /// with it. Null: Keras' automatic name (snake_case class name plus a counter, e.g. <c>dense_1</c>).</param>
    /// <param name="trainable">Whether training updates this layer's weights (Keras' <c>trainable</c>).</param>
    public LayerNormalization(int[]? axis = null, double epsilon = 1e-3, bool center = true, bool scale = true,
                              Initializer? betaInitializer = null, Initializer? gammaInitializer = null,
                              long[]? inputShape = null, string? name = null, bool trainable = true)
        : base(name, trainable, inputShape)
    {
        axis ??= [-1];
        if (axis.Length == 0 || axis.Contains(0) || axis.Distinct().Count() != axis.Length)
            throw new ArgumentException($"axis must list distinct axes other than the batch axis (0); received [{string.Join(", ", axis)}].", nameof(axis));
        if (!(epsilon > 0)) throw new ArgumentOutOfRangeException(nameof(epsilon), epsilon, "LayerNormalization needs a positive epsilon.");
        Axis = [.. axis];
        Epsilon = epsilon;
        Center = center;
        Scale = scale;
        BetaInitializer = betaInitializer ?? new Zeros();
        GammaInitializer = gammaInitializer ?? new Ones();
    }

    /// <summary>Axes normalized over, per sample (Keras' <c>axis</c>; batch counted).</summary>
    public int[] Axis { get; }
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

    /// <summary>
    /// The <c>gamma</c> weight: the learned scale. Null before the layer is built or when <c>scale</c> is false.
    /// </summary>
    public Variable? Gamma => gamma;
    /// <summary>
    /// The <c>beta</c> weight: the learned offset. Null before the layer is built or when <c>center</c> is false.
    /// </summary>
    public Variable? Beta => beta;

    /// <inheritdoc/>
    protected override void Build(long[] inputShape)
    {
        int rank = inputShape.Length + 1;
        var axes = Axis.Select(a => a < 0 ? a + rank : a).ToArray();
        if (axes.Any(a => a < 1 || a >= rank) || axes.Distinct().Count() != axes.Length)
            throw new IncompatibleShapeException(Name, $"an input with axes ({string.Join(", ", Axis)}) besides the batch axis", [-1, .. inputShape]);
        resolvedAxes = axes;
        long[] paramShape = [.. axes.Select(a => Dimensions.RequireKnown(inputShape, a - 1, Name, ClassName, $"axis {a}"))];
        if (Scale) gamma = AddWeight("gamma", paramShape, GammaInitializer);
        if (Center) beta = AddWeight("beta", paramShape, BetaInitializer);
    }

    /// <summary>An input mask passes through unchanged (Keras' <c>supports_masking</c>).</summary>
    public override bool SupportsMasking => true;

    /// <inheritdoc/>
    public override Tensor Call(Tensor inputs, bool training = false)
    {
        using var scope = NewDisposeScope();
        var axes = resolvedAxes!;
        long[] reduce = [.. axes.Select(a => (long)a)];
        var mean = inputs.mean(reduce, keepdim: true);
        var variance = inputs.var(reduce, unbiased: false, keepdim: true);
        var output = inputs.sub(mean).mul(variance.add(Epsilon).rsqrt());
        if (gamma is not null) output = output.mul(Broadcast(gamma.Value, axes, inputs.dim()));
        if (beta is not null) output = output.add(Broadcast(beta.Value, axes, inputs.dim()));
        return scope.MoveToOuter(output);
    }

    /// <summary>A weight whose axes follow <paramref name="axes"/> (Keras' order), laid out to broadcast against a batch of <paramref name="rank"/>.</summary>
    static Tensor Broadcast(Tensor weight, int[] axes, long rank)
    {
        long[] ascending = [.. Enumerable.Range(0, axes.Length).OrderBy(i => axes[i]).Select(i => (long)i)];
        var ordered = weight.permute(ascending);
        var shape = Enumerable.Repeat(1L, (int)rank).ToArray();
        foreach (var a in axes) shape[a] = weight.shape[Array.IndexOf(axes, a)];
        return ordered.reshape(shape);
    }
}
