using static TorchSharp.torch;

namespace Layerwise.Training.Metrics;

/// <summary>
/// Keras' <c>TopKCategoricalAccuracy</c>: how often the one-hot target's class is among the <see cref="K"/> highest
/// predictions. Ties count as TensorFlow's <c>in_top_k</c> counts them: the target is in the top k when fewer than k
/// classes score strictly higher.
/// </summary>
public sealed class TopKCategoricalAccuracy(int k = 5, string? name = null) : Metric(name)
{
    /// <summary>
    /// A sample counts as correct when its class is among the <c>k</c> highest predictions (Keras' <c>k</c>).
    /// </summary>
    public int K { get; } = k > 0 ? k : throw new ArgumentOutOfRangeException(nameof(k), k, "k must be positive.");

    /// <inheritdoc/>
    protected override Tensor PerSample(Tensor yTrue, Tensor yPred)
    {
        Labels.RequireSameShape(yTrue, yPred, Name);
        using var labels = yTrue.argmax(-1);
        return TopK.Matches(labels, yPred, K);
    }
}

/// <summary>Keras' <c>SparseTopKCategoricalAccuracy</c>: how often the integer label is among the <see cref="K"/> highest predictions (ties as <c>in_top_k</c>).</summary>
public sealed class SparseTopKCategoricalAccuracy(int k = 5, string? name = null) : Metric(name)
{
    /// <summary>
    /// A sample counts as correct when its class is among the <c>k</c> highest predictions (Keras' <c>k</c>).
    /// </summary>
    public int K { get; } = k > 0 ? k : throw new ArgumentOutOfRangeException(nameof(k), k, "k must be positive.");

    /// <inheritdoc/>
    protected override Tensor PerSample(Tensor yTrue, Tensor yPred)
    {
        using var labels = Labels.AsClassIndices(yTrue, yPred, Name);
        return TopK.Matches(labels, yPred, K);
    }
}

static class TopK
{
    /// <summary>1 where fewer than <paramref name="k"/> classes score strictly higher than the label's class, else 0.</summary>
    public static Tensor Matches(Tensor labels, Tensor yPred, int k)
    {
        using var index = labels.unsqueeze(-1);
        using var labelScore = yPred.gather(-1, index);
        using var higher = yPred.gt(labelScore);
        using var rank = higher.sum(-1);
        using var inTopK = rank.lt(k);
        return inTopK.to_type(ScalarType.Float32);
    }
}
