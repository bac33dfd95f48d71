using static TorchSharp.torch;

namespace Layerwise.Training.Metrics;

/// <summary>
/// Keras' <c>AUC</c>: the area under the ROC or precision-recall curve, approximated as Keras does from confusion
/// counts at <see cref="NumThresholds"/> thresholds spread evenly over [0, 1] (the end ones −1e-7 and 1 + 1e-7) or
/// at the given <c>thresholds</c>, summed as a Riemann sum (<c>interpolation</c>: trapezoids; <c>minoring</c> /
/// <c>majoring</c>: lower / upper rectangles). PR with interpolation uses Davis and Goadrich's interpolation
/// (Keras' <c>interpolate_pr_auc</c>). Multi-label AUC is not supported.
/// </summary>
public sealed class AUC : ConfusionMatrixMetric
{
    /// <summary>Keras' <c>keras.metrics.AUC</c>.</summary>
    /// <param name="numThresholds">Number of evenly spaced thresholds (Keras' <c>num_thresholds</c>); more is more
    /// precise.</param>
    /// <param name="curve"><c>ROC</c> or <c>PR</c> (precision-recall) (Keras' <c>curve</c>).</param>
    /// <param name="summationMethod"><c>interpolation</c>, <c>minoring</c> or <c>majoring</c> (Keras'
    /// <c>summation_method</c>).</param>
    /// <param name="name">The key in logs. Null: <c>auc</c>.</param>
    /// <param name="thresholds">Explicit thresholds in [0, 1], instead of <paramref name="numThresholds"/> (Keras'
    /// <c>thresholds</c>).</param>
    /// <param name="fromLogits">Whether predictions are logits; a sigmoid is applied first (Keras'
    /// <c>from_logits</c>).</param>
    public AUC(int numThresholds = 200, string curve = "ROC", string summationMethod = "interpolation", string? name = null,
               IReadOnlyList<double>? thresholds = null, bool fromLogits = false)
        : base(ThresholdsFor(numThresholds, thresholds), null, null, name)
    {
        Curve = curve.ToUpperInvariant() switch
        {
            "ROC" => "ROC",
            "PR" => "PR",
            _ => throw new ArgumentException($"AUC curve must be \"ROC\" or \"PR\"; received \"{curve}\".", nameof(curve)),
        };
        SummationMethod = summationMethod.ToLowerInvariant() switch
        {
            "interpolation" or "minoring" or "majoring" => summationMethod.ToLowerInvariant(),
            _ => throw new ArgumentException($"AUC summation_method must be \"interpolation\", \"minoring\" or \"majoring\"; received \"{summationMethod}\".", nameof(summationMethod)),
        };
        FromLogits = fromLogits;
        GivenThresholds = thresholds;
    }

    /// <summary>The number of thresholds, the two end points included.</summary>
    public int NumThresholds => Thresholds.Count;

    /// <summary><c>ROC</c> or <c>PR</c>.</summary>
    public string Curve { get; }

    /// <summary><c>interpolation</c>, <c>minoring</c> or <c>majoring</c>.</summary>
    public string SummationMethod { get; }

    /// <summary>Whether predictions are logits; a sigmoid is applied first (Keras' <c>from_logits</c>).</summary>
    public bool FromLogits { get; }

    /// <summary>The thresholds given to the constructor (without the end points), or null when they are spread evenly.</summary>
    public IReadOnlyList<double>? GivenThresholds { get; }

    const double KerasEpsilon = 1e-7;

    static double[] ThresholdsFor(int numThresholds, IReadOnlyList<double>? given)
    {
        if (given is not null) return [0.0 - KerasEpsilon, .. given, 1.0 + KerasEpsilon];
        if (numThresholds <= 1) throw new ArgumentOutOfRangeException(nameof(numThresholds), numThresholds, "num_thresholds must be greater than 1.");
        var thresholds = new double[numThresholds];
        thresholds[0] = 0.0 - KerasEpsilon;
        for (int i = 0; i < numThresholds - 2; i++) thresholds[i + 1] = (i + 1) * 1.0 / (numThresholds - 1);
        thresholds[^1] = 1.0 + KerasEpsilon;
        return thresholds;
    }

    private protected override Tensor Scores(Tensor yPred) => FromLogits ? yPred.sigmoid() : yPred.alias();

    /// <inheritdoc/>
    public override double Result()
    {
        var (tp, fp, tn, fn) = Counts();
        int n = NumThresholds;
        if (Curve == "PR" && SummationMethod == "interpolation") return InterpolatedPrAuc(tp, fp, fn);
        var x = new double[n];
        var y = new double[n];
        for (int i = 0; i < n; i++)
        {
            double recall = DivideNoNan(tp[i], tp[i] + fn[i]);
            (x[i], y[i]) = Curve == "ROC"
                ? (DivideNoNan(fp[i], fp[i] + tn[i]), recall)
                : (recall, DivideNoNan(tp[i], tp[i] + fp[i]));
        }
        double area = 0;
        for (int i = 0; i < n - 1; i++)
        {
            double height = SummationMethod switch
            {
                "interpolation" => (y[i] + y[i + 1]) / 2.0,
                "minoring" => Math.Min(y[i], y[i + 1]),
                _ => Math.Max(y[i], y[i + 1]),
            };
            area += (x[i] - x[i + 1]) * height;
        }
        return area;
    }

    /// <summary>Keras' <c>interpolate_pr_auc</c>: precision modelled as varying linearly in TP and P = TP + FP between thresholds.</summary>
    static double InterpolatedPrAuc(double[] tp, double[] fp, double[] fn)
    {
        double area = 0;
        for (int i = 0; i < tp.Length - 1; i++)
        {
            double dtp = tp[i] - tp[i + 1];
            double p = tp[i] + fp[i], pNext = tp[i + 1] + fp[i + 1];
            double slope = DivideNoNan(dtp, Math.Max(p - pNext, 0));
            double intercept = tp[i + 1] - slope * pNext;
            double ratio = p > 0 && pNext > 0 ? DivideNoNan(p, Math.Max(pNext, 0)) : 1.0;
            area += DivideNoNan(slope * (dtp + intercept * Math.Log(ratio)), Math.Max(tp[i + 1] + fn[i + 1], 0));
        }
        return area;
    }
}
