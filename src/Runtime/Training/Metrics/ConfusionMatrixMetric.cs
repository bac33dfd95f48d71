using static TorchSharp.torch;

namespace Layerwise.Training.Metrics;

/// <summary>
/// Base of the metrics that count true/false positives/negatives at thresholds (Keras'
/// <c>update_confusion_matrix_variables</c>): every element of the batch is one decision, a prediction above a
/// threshold (strictly) is positive, a target is positive when it is non-zero. The counts stay on the model's
/// device as float64 vectors, one entry per threshold.
/// </summary>
public abstract class ConfusionMatrixMetric : Metric
{
    Tensor? thresholdTensor;
    Tensor? truePositives, falsePositives, trueNegatives, falseNegatives;

    private protected ConfusionMatrixMetric(IReadOnlyList<double> thresholds, int? topK, int? classId, string? name) : base(name)
    {
        if (thresholds.Count == 0) throw new ArgumentException("At least one threshold is needed.", nameof(thresholds));
        if (topK is <= 0) throw new ArgumentOutOfRangeException(nameof(topK), topK, "top_k must be positive.");
        if (classId is < 0) throw new ArgumentOutOfRangeException(nameof(classId), classId, "class_id must be zero or positive.");
        Thresholds = thresholds;
        TopK = topK;
        ClassId = classId;
    }

    /// <summary>The thresholds a prediction is compared with, in order.</summary>
    public IReadOnlyList<double> Thresholds { get; }

    /// <summary>Keras' <c>top_k</c>: only the k highest predictions of each sample can be positive.</summary>
    public int? TopK { get; }

    /// <summary>Keras' <c>class_id</c>: only this column (class) of the targets and predictions is counted.</summary>
    public int? ClassId { get; }

    /// <summary>Turns raw predictions into the scores compared with the thresholds (AUC's <c>from_logits</c> applies a sigmoid).</summary>
    private protected virtual Tensor Scores(Tensor yPred) => yPred.alias();

    /// <inheritdoc/>
    public override void UpdateState(Tensor yTrue, Tensor yPred) => Update(yTrue, yPred, null);

    /// <summary>
    /// As <see cref="UpdateState(Tensor, Tensor)"/>, each decision counted with its position's mask (0 or 1): tf.keras 2
    /// passes a model output's mask as <c>sample_weight</c>, which weights the counts.
    /// </summary>
    public override void UpdateState(Tensor yTrue, Tensor yPred, Tensor? mask) => Update(yTrue, yPred, mask);

    void Update(Tensor yTrue, Tensor yPred, Tensor? mask)
    {
        using var _ = no_grad();
        Labels.RequireSameShape(yTrue, yPred, Name);
        if (ClassId is { } id && (yPred.dim() < 2 || id >= yPred.shape[^1]))
            throw new IncompatibleShapeException(Name, $"predictions with a class axis that has class_id {id}", yPred.shape);
        using var scores = Scores(yPred.detach());
        using var ranked = TopK is { } k && scores.dim() > 0 ? KeepTopK(scores, k) : scores.alias();
        using var predictions = ClassId is { } c ? ranked.select(-1, c) : ranked.alias();
        using var targetsAll = ClassId is { } c2 ? yTrue.select(-1, c2) : yTrue.alias();
        // Compared in float32, as Keras casts predictions and thresholds to the metric's dtype (0.3f is not above 0.3f).
        using var flatPredictions = predictions.reshape(-1).to_type(ScalarType.Float32);
        using var positives = targetsAll.reshape(-1).ne(0);
        thresholdTensor ??= Detached(tensor(Thresholds.Select(t => (float)t).ToArray(), ScalarType.Float32, yPred.device));
        // [thresholds, elements]: whether each element is predicted positive at each threshold.
        using var predictedPositive = flatPredictions.unsqueeze(0).gt(thresholdTensor.unsqueeze(1));
        using var predictedNegative = predictedPositive.logical_not();
        using var negatives = positives.logical_not();
        using var weights = mask is null ? null : ElementWeights(mask, yPred);
        Add(ref truePositives, predictedPositive, positives, weights);
        Add(ref falsePositives, predictedPositive, negatives, weights);
        Add(ref trueNegatives, predictedNegative, negatives, weights);
        Add(ref falseNegatives, predictedNegative, positives, weights);
    }

    /// <summary>The mask's weight of each decision, flattened in the order of the predictions (after <see cref="ClassId"/>'s column is taken).</summary>
    Tensor ElementWeights(Tensor mask, Tensor yPred)
    {
        using var weights = OutputMask.AsWeights(mask, yPred, Name);
        using var asDouble = weights.to_type(ScalarType.Float64);
        using var everyElement = asDouble.expand(yPred.shape);
        using var kept = ClassId is { } c ? everyElement.select(-1, c) : everyElement.alias();
        return kept.reshape(-1);
    }

    /// <summary>Keras' <c>_filter_top_k</c>: all but the k highest scores of each row become −∞ (ties: the first ones, as <c>tf.math.top_k</c>).</summary>
    static Tensor KeepTopK(Tensor scores, int k)
    {
        long classes = scores.shape[^1];
        if (k >= classes) return scores.alias();
        var (_, order) = scores.sort(-1, descending: true, stable: true);
        using (order)
        {
            using var top = order.narrow(-1, 0, k);
            using var mask = zeros_like(scores, dtype: ScalarType.Bool).scatter_(-1, top, ones_like(top, dtype: ScalarType.Bool));
            using var negativeInfinity = full_like(scores, double.NegativeInfinity);
            return where(mask, scores, negativeInfinity);
        }
    }

    static void Add(ref Tensor? counter, Tensor predicted, Tensor actual, Tensor? weights)
    {
        using var both = predicted.logical_and(actual.unsqueeze(0));
        using var weighted = weights is null ? null : both.to_type(ScalarType.Float64).mul_(weights.unsqueeze(0));
        using var counts = weighted is null ? both.sum(1, type: ScalarType.Float64) : weighted.sum(1);
        if (counter is null) counter = Detached(counts.clone());
        else counter.add_(counts);
    }

    static Tensor Detached(Tensor t)
    {
        t.DetachFromDisposeScope();
        return t;
    }

    /// <summary>The counts per threshold (zeros before any update): true positives, false positives, true negatives, false negatives.</summary>
    protected (double[] TP, double[] FP, double[] TN, double[] FN) Counts()
    {
        double[] Read(Tensor? t) => t is null ? new double[Thresholds.Count] : t.cpu().data<double>().ToArray();
        return (Read(truePositives), Read(falsePositives), Read(trueNegatives), Read(falseNegatives));
    }

    /// <summary>x / y, or 0 where y is 0 (TensorFlow's <c>divide_no_nan</c>).</summary>
    protected static double DivideNoNan(double x, double y) => y == 0 ? 0.0 : x / y;

    /// <inheritdoc/>
    public override void ResetState()
    {
        base.ResetState();
        foreach (var t in new[] { truePositives, falsePositives, trueNegatives, falseNegatives }) t?.Dispose();
        truePositives = falsePositives = trueNegatives = falseNegatives = null;
    }

    /// <inheritdoc/>
    protected override void ForgetCopiedState()
    {
        truePositives = falsePositives = trueNegatives = falseNegatives = null;
        thresholdTensor = null;
    }

    /// <inheritdoc/>
    protected override Tensor PerSample(Tensor yTrue, Tensor yPred) =>
        throw new NotSupportedException($"{ClassName} counts decisions; it has no per-sample value.");
}
