using static TorchSharp.torch;

namespace Layerwise.Training.Metrics;

/// <summary>
/// A Keras metric: state accumulated over batches (<see cref="UpdateState"/>), read with
/// <see cref="Result"/>, cleared with <see cref="ResetState"/>. The running sums stay on the
/// model's device, so updating costs no device-to-host copy; only reading the result does.
/// </summary>
public abstract class Metric
{
    Tensor? total;
    double count;

    protected Metric(string? name) => Name = name ?? UniqueNames.ToSnakeCase(GetType().Name);

    /// <summary>The key it has in logs and history, e.g. <c>sparse_categorical_accuracy</c>.</summary>
    public string Name { get; internal set; }

    public virtual string ClassName => GetType().Name;

    /// <summary>The metric's value for each sample of a batch, shape [batch].</summary>
    protected abstract Tensor PerSample(Tensor yTrue, Tensor yPred);

    /// <summary>Adds a batch of targets and predictions to the state.</summary>
    public virtual void UpdateState(Tensor yTrue, Tensor yPred)
    {
        using var _ = no_grad();
        using var values = PerSample(yTrue, yPred.detach());
        Accumulate(values.sum(), values.numel());
    }

    /// <summary>Adds <paramref name="sum"/> over <paramref name="weight"/> samples (takes ownership of <paramref name="sum"/>).</summary>
    protected void Accumulate(Tensor sum, double weight)
    {
        using var asDouble = sum.to_type(ScalarType.Float64);
        sum.Dispose();
        if (total is null)
        {
            total = asDouble.clone();
            total.DetachFromDisposeScope();
        }
        else
        {
            total.add_(asDouble);
        }
        count += weight;
    }

    /// <summary>The mean over everything accumulated since the last reset; 0 when nothing was.</summary>
    public virtual double Result() => total is null || count == 0 ? 0.0 : total.item<double>() / count;

    /// <summary>A copy with the same settings and no state: a metric applied to several outputs needs one per output.</summary>
    internal Metric FreshCopy()
    {
        var copy = (Metric)MemberwiseClone();
        copy.total = null;
        copy.count = 0;
        return copy;
    }

    public virtual void ResetState()
    {
        total?.Dispose();
        total = null;
        count = 0;
    }

    public static implicit operator Metric(string name) => Get(name);

    /// <summary>
    /// A metric by its Keras name. <c>accuracy</c> / <c>acc</c> is resolved against the loss at
    /// compile time, as Keras does (sparse, categorical or binary accuracy, logged as "accuracy").
    /// </summary>
    public static Metric Get(string name) => name.Replace("_", "").ToLowerInvariant() switch
    {
        "accuracy" or "acc" => new AccuracyByLoss(name),
        "sparsecategoricalaccuracy" => new SparseCategoricalAccuracy(),
        "categoricalaccuracy" => new CategoricalAccuracy(),
        "binaryaccuracy" => new BinaryAccuracy(),
        "meanabsoluteerror" or "mae" => new MeanAbsoluteError(name == "mae" ? "mae" : null),
        "meansquarederror" or "mse" => new MeanSquaredErrorMetric(name == "mse" ? "mse" : null),
        "r2score" => new R2Score(),
        _ => throw new ArgumentException(
            $"Unknown metric \"{name}\". Expected one of: accuracy, sparse_categorical_accuracy, categorical_accuracy, " +
            "binary_accuracy, mean_absolute_error (mae), mean_squared_error (mse), r2_score.", nameof(name)),
    };
}
