using static TorchSharp.torch;

namespace Layerwise.Training.Losses;

/// <summary>
/// A Keras loss: per-sample values averaged over the batch (Keras' <c>sum_over_batch_size</c>).
/// Probabilities are clipped to [1e-7, 1 − 1e-7] before logs, as Keras does.
/// </summary>
public abstract class Loss
{
    /// <summary>Keras' <c>backend.epsilon()</c>: probabilities are clipped to [ε, 1 − ε] before logs.</summary>
    protected const double Epsilon = 1e-7;

    /// <summary>Initializes a loss named <paramref name="name"/>.</summary>
    /// <param name="name">The name logs use. Null: the snake_case class name.</param>
    protected Loss(string? name) => Name = name ?? UniqueNames.ToSnakeCase(GetType().Name);

    /// <summary>The name logs and configs use, e.g. <c>sparse_categorical_crossentropy</c>.</summary>
    public string Name { get; }

    /// <summary>The Keras class name.</summary>
    public virtual string ClassName => GetType().Name;

    /// <summary>The loss of each sample, shape [batch]; [batch, timesteps] for a sequence output (one per step).</summary>
    public abstract Tensor PerSample(Tensor yTrue, Tensor yPred);

    /// <summary>The mean loss over the batch: a scalar that can be differentiated.</summary>
    public Tensor Call(Tensor yTrue, Tensor yPred)
    {
        using var perSample = PerSample(yTrue, yPred);
        return perSample.mean();
    }

    /// <summary>
    /// The weighted loss, as tf.keras 2's <c>compute_weighted_loss</c> with <c>SUM_OVER_BATCH_SIZE</c>: each
    /// sample's loss times its weight, summed, divided by the batch size (not by the sum of the weights).
    /// <c>mean()</c> is that division; multiplying by a weight of 1 is exact, so all-ones weights train
    /// bit-identically to no weights. Null weights: <see cref="Call(Tensor, Tensor)"/>. Values with a time axis
    /// ([batch, timesteps] for a sequence output) take each sample's weight at every step and are divided by their count.
    /// </summary>
    public Tensor Call(Tensor yTrue, Tensor yPred, Tensor? sampleWeight)
    {
        if (sampleWeight is null) return Call(yTrue, yPred);
        using var perSample = PerSample(yTrue, yPred);
        using var typed = sampleWeight.to_type(perSample.dtype);
        using var weights = perSample.dim() > 1 ? SampleWeights.ExpandToRank(typed, perSample.dim()) : typed.reshape(perSample.shape);
        using var weighted = perSample.mul(weights);
        return weighted.mean();
    }

    /// <summary>
    /// The loss of a model output that carries a mask (Keras' <c>_keras_mask</c>: padded steps of a sequence are
    /// false), as tf.keras 2.11+ computes it (<c>LossesContainer</c> turns the mask into the sample weight,
    /// <c>Loss.__call__</c> redistributes it with <c>apply_valid_mask</c>) and Keras 3 (<c>reduce_weighted_values</c>):
    /// Σ loss·weight·mask / Σ mask, the sum over unmasked positions divided by their number, not by the batch size.
    /// Every position masked gives 0 (Keras 3's <c>divide_no_nan</c>; tf.keras 2 gives NaN there). A null
    /// <paramref name="mask"/> is <see cref="Call(Tensor, Tensor, Tensor?)"/>, bit for bit.
    /// </summary>
    /// <param name="yTrue">The targets.</param>
    /// <param name="yPred">The predictions.</param>
    /// <param name="sampleWeight">One weight per sample ([batch]) or null.</param>
    /// <param name="mask">The output's mask, [batch] or [batch, timesteps] (the leading axes of the loss values), or null.</param>
    public Tensor Call(Tensor yTrue, Tensor yPred, Tensor? sampleWeight, Tensor? mask)
    {
        if (mask is null) return Call(yTrue, yPred, sampleWeight);
        using var values = PerSample(yTrue, yPred);
        using var maskWeights = OutputMask.AsWeights(mask, values, Name);
        using var masked = values.mul(maskWeights);
        using var typed = sampleWeight?.to_type(values.dtype);
        using var weights = typed is null ? null : SampleWeights.ExpandToRank(typed, values.dim());
        using var weighted = weights is null ? masked.alias() : masked.mul(weights);
        using var sum = weighted.sum();
        using var everyPosition = maskWeights.expand(values.shape);
        using var valid = everyPosition.sum();
        using var divisor = valid.clamp_min(1);   // a count: clamping only turns 0/0 into 0/1
        return sum.div(divisor);
    }

    /// <summary>Lets a Keras name stand for a loss, as in Keras: <c>loss: "mse"</c> (see <see cref="Get"/>).</summary>
    public static implicit operator Loss(string name) => Get(name);

    /// <summary>
    /// A loss with Keras' defaults by any name Keras' <c>losses.get()</c> accepts: the class name
    /// (<c>MeanAbsoluteError</c>), the function name (<c>mean_absolute_error</c>) or an alias
    /// (<c>mae</c>, <c>MAE</c>, <c>mape</c>, <c>msle</c>, <c>kld</c>, <c>kullback_leibler_divergence</c>,
    /// <c>logcosh</c>, <c>huber_loss</c>, <c>bce</c>, ...).
    /// </summary>
    public static Loss Get(string name) => FromKerasName(name, new LossSettings())
        ?? throw new ArgumentException($"Unknown loss \"{name}\". Expected one of: {string.Join(", ", KnownNames)}.", nameof(name));

    /// <summary>Keras' function names of the built-in losses (each also accepted as its class name).</summary>
    public static IReadOnlyList<string> KnownNames { get; } =
    [
        "sparse_categorical_crossentropy", "categorical_crossentropy", "binary_crossentropy (bce)", "mean_squared_error (mse)",
        "mean_absolute_error (mae)", "mean_absolute_percentage_error (mape)", "mean_squared_logarithmic_error (msle)",
        "huber (huber_loss)", "log_cosh (logcosh)", "kl_divergence (kld, kullback_leibler_divergence)", "poisson", "hinge",
        "squared_hinge", "categorical_hinge", "cosine_similarity",
    ];

    /// <summary>The loss a Keras name means, built with <paramref name="settings"/> (from a file's config); null when Keras has no such loss.</summary>
    internal static Loss? FromKerasName(string kerasName, LossSettings settings) => kerasName.Replace("_", "").ToLowerInvariant() switch
    {
        "sparsecategoricalcrossentropy" => new SparseCategoricalCrossentropy(settings.FromLogits, settings.Name),
        "categoricalcrossentropy" => new CategoricalCrossentropy(settings.FromLogits, settings.Name, settings.LabelSmoothing),
        "binarycrossentropy" or "bce" => new BinaryCrossentropy(settings.FromLogits, settings.Name, settings.LabelSmoothing),
        "meansquarederror" or "mse" => new MeanSquaredError(settings.Name),
        "meanabsoluteerror" or "mae" => new MeanAbsoluteError(settings.Name),
        "meanabsolutepercentageerror" or "mape" => new MeanAbsolutePercentageError(settings.Name),
        "meansquaredlogarithmicerror" or "msle" => new MeanSquaredLogarithmicError(settings.Name),
        "huber" or "huberloss" => new Huber(settings.Delta, settings.Name),
        "logcosh" => new LogCosh(settings.Name),
        "kldivergence" or "kld" or "kullbackleiblerdivergence" => new KLDivergence(settings.Name),
        "poisson" => new Poisson(settings.Name),
        "hinge" => new Hinge(settings.Name),
        "squaredhinge" => new SquaredHinge(settings.Name),
        "categoricalhinge" => new CategoricalHinge(settings.Name),
        "cosinesimilarity" or "cosineproximity" => new CosineSimilarity(settings.Axis, settings.Name),
        _ => null,
    };

    /// <summary>The mean over the last axis (Keras' <c>backend.mean(x, axis=-1)</c>); a 1-D tensor is already per sample.</summary>
    protected static Tensor MeanOverLastAxis(Tensor elementwise) => elementwise.dim() > 1 ? elementwise.mean([-1L]) : elementwise.alias();

    /// <summary>Log-probabilities along the last axis, from logits or from (renormalised, clipped) probabilities.</summary>
    protected static Tensor LogProbabilities(Tensor yPred, bool fromLogits)
    {
        if (fromLogits) return nn.functional.log_softmax(yPred, -1);
        using var sum = yPred.sum(-1, keepdim: true);
        using var normalised = yPred.div(sum);
        using var clipped = normalised.clamp(Epsilon, 1 - Epsilon);
        return clipped.log();
    }
}

/// <summary>The settings a Keras loss config may carry (<c>from_logits</c>, <c>name</c>, <c>label_smoothing</c>, Huber's <c>delta</c>, CosineSimilarity's <c>axis</c>).</summary>
internal sealed record LossSettings(bool FromLogits = false, string? Name = null, double Delta = 1.0, int Axis = -1, double LabelSmoothing = 0.0);
