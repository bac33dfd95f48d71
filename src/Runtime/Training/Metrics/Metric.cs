using static TorchSharp.torch;

namespace Layerwise.Training.Metrics;

/// <summary>
/// A Keras metric: state accumulated over batches (<see cref="UpdateState(Tensor, Tensor)"/>), read with
/// <see cref="Result"/>, cleared with <see cref="ResetState"/>. The running sums stay on the
/// model's device, so updating costs no device-to-host copy; only reading the result does.
/// </summary>
public abstract class Metric
{
    Tensor? total;
    double count;
    Tensor? maskedCount;   // Σ mask of masked updates, kept on the device like the total

    /// <summary>Initializes a metric named <paramref name="name"/>.</summary>
    /// <param name="name">The key in logs and history. Null: the snake_case class name.</param>
    protected Metric(string? name) => Name = name ?? UniqueNames.ToSnakeCase(GetType().Name);

    /// <summary>The key it has in logs and history, e.g. <c>sparse_categorical_accuracy</c>.</summary>
    public string Name { get; internal set; }

    /// <summary>The Keras class name configs write, e.g. <c>SparseCategoricalAccuracy</c>.</summary>
    public virtual string ClassName => GetType().Name;

    /// <summary>The metric's value for each sample of a batch, shape [batch]; [batch, timesteps] for a sequence output.</summary>
    protected abstract Tensor PerSample(Tensor yTrue, Tensor yPred);

    /// <summary>Adds a batch of targets and predictions to the state.</summary>
    public virtual void UpdateState(Tensor yTrue, Tensor yPred)
    {
        using var _ = no_grad();
        using var values = PerSample(yTrue, yPred.detach());
        Accumulate(values.sum(), values.numel());
    }

    /// <summary>
    /// Adds a batch whose model output carries a mask (Keras' <c>_keras_mask</c>): each per-sample value counts with its
    /// position's mask (0 or 1), as tf.keras 2's <c>MetricsContainer</c> passes the mask as <c>sample_weight</c>, so the
    /// result is the mean over unmasked positions. The mask covers the leading axes of the values: [batch, timesteps]
    /// for a sequence output. A null <paramref name="mask"/> is <see cref="UpdateState(Tensor, Tensor)"/>. A metric that
    /// overrides <see cref="UpdateState(Tensor, Tensor)"/> without per-sample values overrides this too.
    /// </summary>
    /// <param name="yTrue">The targets.</param>
    /// <param name="yPred">The predictions.</param>
    /// <param name="mask">The output's mask (boolean, or read as <c>!= 0</c>), or null.</param>
    public virtual void UpdateState(Tensor yTrue, Tensor yPred, Tensor? mask)
    {
        if (mask is null)
        {
            UpdateState(yTrue, yPred);
            return;
        }
        using var _ = no_grad();
        using var values = PerSample(yTrue, yPred.detach());
        using var weights = OutputMask.AsWeights(mask, values, Name);
        using var weighted = values.mul(weights);
        using var everyPosition = weights.expand(values.shape);
        using var batchCount = everyPosition.sum(type: ScalarType.Float64);
        Accumulate(weighted.sum(), 0);
        if (maskedCount is null)
        {
            maskedCount = batchCount.clone();
            maskedCount.DetachFromDisposeScope();
        }
        else
        {
            maskedCount.add_(batchCount);
        }
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
    public virtual double Result()
    {
        double weight = maskedCount is null ? count : count + maskedCount.item<double>();
        return total is null || weight == 0 ? 0.0 : total.item<double>() / weight;
    }

    /// <summary>A copy with the same settings and no state: a metric applied to several outputs needs one per output.</summary>
    internal Metric FreshCopy()
    {
        var copy = (Metric)MemberwiseClone();
        copy.total = null;
        copy.count = 0;
        copy.maskedCount = null;
        copy.ForgetCopiedState();
        return copy;
    }

    /// <summary>Called on a fresh copy: drop (without disposing: the original owns them) state tensors of the subclass.</summary>
    protected virtual void ForgetCopiedState() { }

    /// <summary>
    /// Clears the accumulated state (Keras' <c>reset_state</c>); <c>Fit</c> calls it at each epoch start.
    /// </summary>
    public virtual void ResetState()
    {
        total?.Dispose();
        total = null;
        count = 0;
        maskedCount?.Dispose();
        maskedCount = null;
    }

    /// <summary>
    /// Lets a Keras name stand for a metric, as in Keras: <c>metrics: ["accuracy"]</c> (see <see cref="Get"/>).
    /// </summary>
    public static implicit operator Metric(string name) => Get(name);

    /// <summary>
    /// A metric by any name Keras' <c>compile(metrics=[...])</c> accepts: class names and function names with
    /// their aliases (<c>mse</c>, <c>mae</c>, <c>mape</c>, <c>msle</c>, <c>kld</c>, <c>logcosh</c>, <c>cosine_similarity</c>,
    /// <c>binary_crossentropy</c>, <c>precision</c>, <c>auc</c>, <c>top_k_categorical_accuracy</c>, ...). <c>accuracy</c> /
    /// <c>acc</c> and <c>crossentropy</c> / <c>ce</c> are resolved against the loss at compile time, as Keras does
    /// (sparse, categorical or binary), and logged under the name given. A function name is logged as written
    /// (<c>"mse"</c> logs <c>mse</c>), a class name under the class's snake_case name, as Keras 2.
    /// </summary>
    public static Metric Get(string name) => FromKerasName(name)
        ?? throw new ArgumentException($"Unknown metric \"{name}\". Expected one of: {string.Join(", ", KnownNames)}.", nameof(name));

    /// <summary>Keras' names of the metrics <see cref="Get"/> knows (aliases in parentheses).</summary>
    public static IReadOnlyList<string> KnownNames { get; } =
    [
        "accuracy (acc)", "sparse_categorical_accuracy", "categorical_accuracy", "binary_accuracy", "top_k_categorical_accuracy",
        "sparse_top_k_categorical_accuracy", "precision", "recall", "auc", "crossentropy (ce)", "binary_crossentropy",
        "categorical_crossentropy", "sparse_categorical_crossentropy", "mean_absolute_error (mae)", "mean_squared_error (mse)",
        "mean_absolute_percentage_error (mape)", "mean_squared_logarithmic_error (msle)", "cosine_similarity", "log_cosh (logcosh)",
        "kl_divergence (kld)", "poisson", "hinge", "squared_hinge", "categorical_hinge",
    ];

    static Metric? FromKerasName(string name)
    {
        // Keras 2 logs a function-style string as written (its upper-case aliases too) and a class name under the class's own name.
        string? logged = name.Any(char.IsUpper) && name is not ("MSE" or "MAE" or "MAPE" or "MSLE" or "KLD") ? null : name;
        return name.Replace("_", "").ToLowerInvariant() switch
        {
            "accuracy" or "acc" => new AccuracyByLoss(name),
            "crossentropy" or "ce" => new CrossentropyByLoss(name),
            "sparsecategoricalaccuracy" => new SparseCategoricalAccuracy(logged),
            "categoricalaccuracy" => new CategoricalAccuracy(logged),
            "binaryaccuracy" => new BinaryAccuracy(logged),
            "topkcategoricalaccuracy" => new TopKCategoricalAccuracy(name: logged),
            "sparsetopkcategoricalaccuracy" => new SparseTopKCategoricalAccuracy(name: logged),
            "precision" => new Precision(name: logged),
            "recall" => new Recall(name: logged),
            "auc" => new AUC(name: logged),
            "r2score" => new R2Score(),
            "meanabsoluteerror" or "mae" => new MeanAbsoluteError(logged),
            "meansquarederror" or "mse" => MeanMetricWrapper.OfLoss(new Losses.MeanSquaredError(), "MeanSquaredError", logged),
            "meanabsolutepercentageerror" or "mape" => MeanMetricWrapper.OfLoss(new Losses.MeanAbsolutePercentageError(), "MeanAbsolutePercentageError", logged),
            "meansquaredlogarithmicerror" or "msle" => MeanMetricWrapper.OfLoss(new Losses.MeanSquaredLogarithmicError(), "MeanSquaredLogarithmicError", logged),
            "logcosh" or "logcosherror" => MeanMetricWrapper.OfLoss(new Losses.LogCosh(), "LogCoshError", logged ?? "logcosh"),
            "kldivergence" or "kld" or "kullbackleiblerdivergence" => MeanMetricWrapper.OfLoss(new Losses.KLDivergence(), "KLDivergence", logged ?? "kullback_leibler_divergence"),
            "poisson" => MeanMetricWrapper.OfLoss(new Losses.Poisson(), "Poisson", logged),
            "hinge" => MeanMetricWrapper.OfLoss(new Losses.Hinge(), "Hinge", logged),
            "squaredhinge" => MeanMetricWrapper.OfLoss(new Losses.SquaredHinge(), "SquaredHinge", logged),
            "categoricalhinge" => MeanMetricWrapper.OfLoss(new Losses.CategoricalHinge(), "CategoricalHinge", logged),
            "binarycrossentropy" => MeanMetricWrapper.OfLoss(new Losses.BinaryCrossentropy(), "BinaryCrossentropy", logged),
            "categoricalcrossentropy" => MeanMetricWrapper.OfLoss(new Losses.CategoricalCrossentropy(), "CategoricalCrossentropy", logged),
            "sparsecategoricalcrossentropy" => MeanMetricWrapper.OfLoss(new Losses.SparseCategoricalCrossentropy(), "SparseCategoricalCrossentropy", logged),
            "cosinesimilarity" or "cosineproximity" => MeanMetricWrapper.CosineSimilarity(logged),
            _ => null,
        };
    }
}
