using Layerwise.Initializers;
using static TorchSharp.torch;

namespace Layerwise.Layers;

/// <summary>
/// Keras' <c>Normalization</c>: <c>(x - mean) / max(sqrt(variance), 1e-7)</c> with one mean and variance
/// per index of the kept axes <see cref="Axis"/> (counted with the batch axis; -1 by default, an empty
/// list for one scalar mean and variance, Keras' <c>axis=None</c>); the same in training and inference.
/// The statistics are either given (<see cref="Mean"/>, <see cref="Variance"/>: config values, no
/// weights) or computed from data by <see cref="Adapt"/> and kept as Keras' non-trainable weights
/// <c>mean</c>, <c>variance</c> (the kept axes' sizes) and <c>count</c> (a scalar; Keras stores it as an
/// integer, Layerwise as float32). With <see cref="Invert"/>, <c>mean + x · max(sqrt(variance), 1e-7)</c>.
/// </summary>
[Layer(Module = "keras.layers")]
public partial class Normalization : Layer
{
    const double Epsilon = 1e-7;   // Keras' backend.epsilon()

    Variable? adaptMean, adaptVariance, count;
    int[]? keepAxes;
    long[]? broadcastShape;

    /// <summary>Creates the layer with Keras' arguments and defaults (<c>keras.layers.Normalization</c>).</summary>
    /// <param name="axis">Axes that keep their own mean and variance (Keras' <c>axis</c>; batch counted; empty: one
    /// scalar). Null: the last axis.</param>
    /// <param name="mean">Given mean (Keras' <c>mean</c>); with <paramref name="variance"/>, or both null and
    /// <c>Adapt</c> computes them.</param>
    /// <param name="variance">Given variance (Keras' <c>variance</c>); with <paramref name="mean"/>.</param>
    /// <param name="invert">Whether to undo the normalization instead: <c>mean + x · std</c> (Keras'
    /// <c>invert</c>).</param>
    /// <param name="inputShape">Per-sample input shape (batch left out; -1 for an unknown dimension), Keras'
    /// <c>input_shape</c>: lets a model build this layer before the first call. Null: built from the first
    /// input.</param>
    /// <param name="name">Layer name (Keras' <c>name</c>), unique within a model; weight paths in saved files start
    /// with it. Null: Keras' automatic name (snake_case class name plus a counter, e.g. <c>dense_1</c>).</param>
    /// <param name="trainable">Whether training updates this layer's weights (Keras' <c>trainable</c>).</param>
    public Normalization(int[]? axis = null, double[]? mean = null, double[]? variance = null, bool invert = false,
                         long[]? inputShape = null, string? name = null, bool trainable = true)
        : base(name, trainable, inputShape)
    {
        axis ??= [-1];
        if (axis.Contains(0) || axis.Distinct().Count() != axis.Length)
            throw new ArgumentException($"axis must list distinct axes other than the batch axis (0); received [{string.Join(", ", axis)}].", nameof(axis));
        if ((mean is null) != (variance is null))
            throw new ArgumentException("When setting values directly, both mean and variance must be set; received only " + (mean is null ? "variance." : "mean."));
        if (mean is not null && (mean.Length != variance!.Length || mean.Length == 0))
            throw new ArgumentException($"mean and variance must have the same, non-zero length; received {mean.Length} and {variance!.Length}.");
        if (variance is not null && variance.Any(v => !(v >= 0)))
            throw new ArgumentException("variance values must be >= 0.", nameof(variance));
        Axis = [.. axis];
        Mean = mean?.ToArray();
        Variance = variance?.ToArray();
        Invert = invert;
    }

    /// <summary>
    /// Axes that keep their own mean and variance (Keras' <c>axis</c>; batch counted; empty: one scalar).
    /// </summary>
    public int[] Axis { get; }

    /// <summary>The mean given in the config (one value for every index, or one per index of the last kept axis); null when adapted.</summary>
    public double[]? Mean { get; }

    /// <summary>The variance given in the config, alike <see cref="Mean"/>.</summary>
    public double[]? Variance { get; }

    /// <summary>
    /// Whether the layer undoes the normalization instead: <c>mean + x · std</c> (Keras' <c>invert</c>).
    /// </summary>
    public bool Invert { get; }

    /// <summary>The adapted mean weight (null when the statistics are given in the config).</summary>
    public Variable? AdaptedMean => adaptMean;

    /// <summary>The adapted variance weight (null when the statistics are given in the config).</summary>
    public Variable? AdaptedVariance => adaptVariance;

    /// <summary>How many values each adapted statistic was computed from (tf.keras 2's <c>count</c>).</summary>
    public Variable? Count => count;

    /// <inheritdoc/>
    protected override void Build(long[] inputShape)
    {
        int rank = inputShape.Length + 1;
        var keep = Axis.Select(a => a < 0 ? a + rank : a).ToArray();
        if (keep.Any(a => a < 1 || a >= rank))
            throw new IncompatibleShapeException(Name, $"an input with axes ({string.Join(", ", Axis)}) besides the batch axis", [-1, .. inputShape]);
        Array.Sort(keep);
        if (keep.Any(a => inputShape[a - 1] < 0))
            throw new IncompatibleShapeException(Name, $"known sizes on the kept axes ({string.Join(", ", keep)}), as Keras requires", [-1, .. inputShape]);
        keepAxes = keep;
        broadcastShape = [.. Enumerable.Range(0, rank).Select(d => keep.Contains(d) ? inputShape[d - 1] : 1L)];
        long[] statShape = [.. keep.Select(a => inputShape[a - 1])];
        if (Mean is null)
        {
            adaptMean = AddWeight("mean", statShape, new Zeros(), trainable: false);
            adaptVariance = AddWeight("variance", statShape, new Ones(), trainable: false);
            count = AddWeight("count", [], new Zeros(), trainable: false);
        }
        else if (Mean.Length != 1 && (keep.Length == 0 || Mean.Length != statShape[^1]))
        {
            throw new IncompatibleShapeException(Name,
                $"an input whose last kept axis has {Mean.Length} entries (the length of the configured mean and variance)", [-1, .. inputShape]);
        }
    }

    /// <summary>
    /// Keras' <c>adapt(data)</c>: sets the mean and biased variance of <paramref name="data"/> (a batch) over
    /// every axis but the kept ones, and the count of values reduced; builds the layer first if needed.
    /// </summary>
    /// <exception cref="InvalidOperationException">The statistics were given in the config.</exception>
    /// <exception cref="IncompatibleShapeException">The data's kept axes differ from the built layer's.</exception>
    public void Adapt(Tensor data)
    {
        if (Mean is not null)
            throw new InvalidOperationException($"Normalization \"{Name}\" was given its mean and variance; it cannot be adapted.");
        var sample = data.shape.Skip(1).ToArray();
        if (!Built) EnsureBuilt(sample);
        else if (sample.Length != BuildInputShape!.Length || keepAxes!.Any(a => sample[a - 1] != BuildInputShape[a - 1]))
            throw new IncompatibleShapeException(Name, $"data of shape {ShapeText.WithBatch(BuildInputShape!)} on the kept axes", data.shape);
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        long[] reduce = [.. Enumerable.Range(0, (int)data.dim()).Where(d => !keepAxes!.Contains(d)).Select(d => (long)d)];
        var values = data.to_type(ScalarType.Float64);
        var mean = reduce.Length == 0 ? values : values.mean(reduce);
        var variance = reduce.Length == 0 ? zeros_like(values) : values.var(reduce, unbiased: false);
        long counted = reduce.Aggregate(1L, (n, d) => n * data.shape[d]);
        adaptMean!.Assign(mean.to_type(ScalarType.Float32).to(adaptMean.Value.device));
        adaptVariance!.Assign(variance.to_type(ScalarType.Float32).to(adaptVariance.Value.device));
        count!.Assign(tensor((float)counted, device: count.Value.device));
    }

    /// <inheritdoc/>
    public override Tensor Call(Tensor inputs, bool training = false)
    {
        using var scope = NewDisposeScope();
        Tensor mean, variance;
        if (adaptMean is not null)
        {
            mean = adaptMean.Value.reshape(broadcastShape!);
            variance = adaptVariance!.Value.reshape(broadcastShape!);
        }
        else
        {
            // A single value broadcasts everywhere; a list lies along the last kept axis (Keras aligns from the right).
            var shape = Enumerable.Repeat(1L, broadcastShape!.Length).ToArray();
            if (Mean!.Length > 1) shape[keepAxes![^1]] = Mean.Length;
            mean = tensor(Mean!.Select(v => (float)v).ToArray(), device: inputs.device).reshape(shape);
            variance = tensor(Variance!.Select(v => (float)v).ToArray(), device: inputs.device).reshape(shape);
        }
        var scale = variance.sqrt().clamp_min(Epsilon);
        var output = Invert ? inputs.mul(scale).add(mean) : inputs.sub(mean).div(scale);
        return scope.MoveToOuter(output);
    }
}
