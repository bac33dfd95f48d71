namespace Layerwise.Training.Metrics;

/// <summary>
/// Keras' <c>Precision</c>: true positives / (true positives + false positives), counted over every element of every
/// batch at <see cref="Threshold"/> (default 0.5, prediction strictly above it is positive); 0 when nothing was
/// predicted positive. <c>top_k</c> and <c>class_id</c> as in Keras.
/// </summary>
public sealed class Precision(double threshold = 0.5, int? topK = null, int? classId = null, string? name = null)
    : ConfusionMatrixMetric([threshold], topK, classId, name)
{
    /// <summary>Predictions above it count as positive (Keras' <c>thresholds</c>, one value).</summary>
    public double Threshold => Thresholds[0];

    /// <inheritdoc/>
    public override double Result()
    {
        var (tp, fp, _, _) = Counts();
        return DivideNoNan(tp[0], tp[0] + fp[0]);
    }
}

/// <summary>
/// Keras' <c>Recall</c>: true positives / (true positives + false negatives), counted over every element of every
/// batch at <see cref="Threshold"/> (default 0.5); 0 when there was no positive target. <c>top_k</c> and
/// <c>class_id</c> as in Keras.
/// </summary>
public sealed class Recall(double threshold = 0.5, int? topK = null, int? classId = null, string? name = null)
    : ConfusionMatrixMetric([threshold], topK, classId, name)
{
    /// <summary>Predictions above it count as positive (Keras' <c>thresholds</c>, one value).</summary>
    public double Threshold => Thresholds[0];

    /// <inheritdoc/>
    public override double Result()
    {
        var (tp, _, _, fn) = Counts();
        return DivideNoNan(tp[0], tp[0] + fn[0]);
    }
}
