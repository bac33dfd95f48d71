using static TorchSharp.torch;

namespace Layerwise.Layers;

/// <summary>What the attention layers share: their <c>[query, value(, key)]</c> input check and Keras' causal mask.</summary>
internal static class AttentionInputs
{
    /// <summary>
    /// The per-sample shapes of query, value and key (the value's when absent), after checking there are
    /// 2 or 3 inputs of rank 3 and that key and value have as many steps (-1, Keras' None, matches any).
    /// </summary>
    public static (long[] Query, long[] Value, long[] Key) Check(Layer layer, IReadOnlyList<long[]> inputShapes)
    {
        if (inputShapes.Count is not (2 or 3))
            throw new ArgumentException($"{layer.ClassName} layer \"{layer.Name}\" must be called on [query, value] or [query, value, key]; received {inputShapes.Count} inputs.");
        if (inputShapes.FirstOrDefault(s => s.Length != 2) is { } wrongRank)
            throw new IncompatibleShapeException(layer.Name, "query, value and key of rank 3 (batch, steps, features)", [-1, .. wrongRank]);
        var (query, value) = (inputShapes[0], inputShapes[1]);
        var key = inputShapes.Count > 2 ? inputShapes[2] : value;
        if (!SameOrUnknown(key[0], value[0]))
            throw new IncompatibleShapeException(layer.Name, $"a key with as many steps as the value ({ShapeText.WithBatch(value)})", [-1, .. key]);
        return (query, value, key);
    }

    public static bool SameOrUnknown(long a, long b) => a == b || a < 0 || b < 0;

    /// <summary>
    /// Keras' causal mask on scores whose last two axes are (query step, value step): query step i keeps
    /// value steps j ≤ i, the others get -1e9 before the softmax (Keras' large negative for float32).
    /// </summary>
    public static Tensor MaskCausally(Tensor scores)
    {
        long tq = scores.shape[^2], tv = scores.shape[^1];
        using var later = ones(tq, tv, dtype: ScalarType.Bool, device: scores.device).triu(1);
        using var penalty = later.to_type(scores.dtype).mul(1e9);
        return scores.sub(penalty);
    }
}
