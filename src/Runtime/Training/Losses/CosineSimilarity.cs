using static TorchSharp.torch;

namespace Layerwise.Training.Losses;

/// <summary>
/// Keras' <c>CosineSimilarity</c> loss (<c>cosine_similarity</c>): −Σ l2_normalize(y_true)·l2_normalize(y_pred)
/// along <see cref="Axis"/> (default −1), where l2_normalize divides by √max(Σx², 1e-12). −1 is best; a zero
/// vector gives 0.
/// </summary>
public sealed class CosineSimilarity(int axis = -1, string? name = null) : Loss(name)
{
    /// <summary>Axis along which the similarity is computed (Keras' <c>axis</c>).</summary>
    public int Axis { get; } = axis;

    /// <inheritdoc/>
    public override Tensor PerSample(Tensor yTrue, Tensor yPred)
    {
        Labels.RequireSameShape(yTrue, yPred, Name);
        if (yPred.dim() < 2 || Axis == 0 || Axis >= yPred.dim() || Axis < -yPred.dim())
            throw new IncompatibleShapeException(Name, $"predictions with a non-batch axis {Axis}", yPred.shape);
        using var targets = yTrue.to_type(yPred.dtype);
        var similarity = Similarity(targets, yPred, Axis);   // returned: neg_ keeps this tensor
        return similarity.neg_();
    }

    /// <summary>Σ l2_normalize(a)·l2_normalize(b) along <paramref name="axis"/> (Keras' metric <c>cosine_similarity</c>).</summary>
    internal static Tensor Similarity(Tensor a, Tensor b, int axis)
    {
        using var normalizedA = L2Normalize(a, axis);
        using var normalizedB = L2Normalize(b, axis);
        normalizedA.mul_(normalizedB);
        return normalizedA.sum(axis);
    }

    static Tensor L2Normalize(Tensor x, int axis)
    {
        using var squares = x.square();
        using var sum = squares.sum(axis, keepdim: true);
        using var inverseNorm = sum.clamp_min_(1e-12).rsqrt_();
        return x.mul(inverseNorm);
    }
}
