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

    public int[] Axis { get; }
    public double Epsilon { get; }
    public bool Center { get; }
    public bool Scale { get; }
    public Initializer BetaInitializer { get; }
    public Initializer GammaInitializer { get; }

    public Variable? Gamma => gamma;
    public Variable? Beta => beta;

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
