using static TorchSharp.torch;

namespace Layerwise.Training.Losses;

/// <summary>
/// A Keras loss: per-sample values averaged over the batch (Keras' <c>sum_over_batch_size</c>).
/// Probabilities are clipped to [1e-7, 1 − 1e-7] before logs, as Keras does.
/// </summary>
public abstract class Loss
{
    protected const double Epsilon = 1e-7;

    protected Loss(string? name) => Name = name ?? UniqueNames.ToSnakeCase(GetType().Name);

    /// <summary>The name logs and configs use, e.g. <c>sparse_categorical_crossentropy</c>.</summary>
    public string Name { get; }

    /// <summary>The Keras class name.</summary>
    public virtual string ClassName => GetType().Name;

    /// <summary>The loss of each sample, shape [batch].</summary>
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
    /// bit-identically to no weights. Null weights: <see cref="Call(Tensor, Tensor)"/>.
    /// </summary>
    public Tensor Call(Tensor yTrue, Tensor yPred, Tensor? sampleWeight)
    {
        if (sampleWeight is null) return Call(yTrue, yPred);
        using var perSample = PerSample(yTrue, yPred);
        using var weights = sampleWeight.to_type(perSample.dtype).reshape(perSample.shape);
        using var weighted = perSample.mul(weights);
        return weighted.mean();
    }

    public static implicit operator Loss(string name) => Get(name);

    /// <summary>A loss by its Keras name (snake_case function name or class name).</summary>
    public static Loss Get(string name) => name.Replace("_", "").ToLowerInvariant() switch
    {
        "sparsecategoricalcrossentropy" => new SparseCategoricalCrossentropy(),
        "categoricalcrossentropy" => new CategoricalCrossentropy(),
        "binarycrossentropy" => new BinaryCrossentropy(),
        "meansquarederror" or "mse" => new MeanSquaredError(),
        _ => throw new ArgumentException(
            $"Unknown loss \"{name}\". Expected one of: sparse_categorical_crossentropy, categorical_crossentropy, " +
            "binary_crossentropy, mean_squared_error (mse).", nameof(name)),
    };

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
