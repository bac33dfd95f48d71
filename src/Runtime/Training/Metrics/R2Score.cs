using static TorchSharp.torch;

namespace Layerwise.Training.Metrics;

/// <summary>
/// Keras' <c>R2Score</c> (<c>"r2_score"</c>), the coefficient of determination over everything seen
/// since the last reset: per output column, 1 - Σ(y - ŷ)² / Σ(y - mean(y))², columns averaged
/// (Keras' default <c>class_aggregation="uniform_average"</c>, <c>num_regressors=0</c>); a column whose
/// targets do not vary scores 0, as in Keras. Targets and predictions are [batch, outputs].
/// </summary>
public sealed class R2Score(string? name = null) : Metric(name ?? "r2_score")
{
    // Per-column running sums (Keras' sum, squared_sum, residual, count); replaced, never mutated, on update.
    double[]? sum, squaredSum, residual;
    double count;

    /// <inheritdoc/>
    public override void UpdateState(Tensor yTrue, Tensor yPred) => Update(yTrue, yPred, null);

    /// <summary>
    /// As <see cref="UpdateState(Tensor, Tensor)"/> with a per-sample mask [batch] as Keras' <c>sample_weight</c>: each
    /// sum takes a sample with its weight (0 or 1) and the count is the sum of the weights (Keras' weighted R2Score).
    /// </summary>
    public override void UpdateState(Tensor yTrue, Tensor yPred, Tensor? mask) => Update(yTrue, yPred, mask);

    void Update(Tensor yTrue, Tensor yPred, Tensor? mask)
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var prediction = yPred.detach().to_type(ScalarType.Float64);
        var target = yTrue.to_type(ScalarType.Float64);
        if (target.dim() == 1) target = target.unsqueeze(1);
        if (prediction.dim() == 1) prediction = prediction.unsqueeze(1);
        if (prediction.dim() != 2 || !target.shape.SequenceEqual(prediction.shape))
            throw new ArgumentException($"Metric \"{Name}\" (R2Score) expects targets and predictions of one shape [batch, outputs]; " +
                                        $"received [{string.Join(", ", yTrue.shape)}] and [{string.Join(", ", yPred.shape)}].");
        if (sum is not null && sum.Length != prediction.shape[1])
            throw new ArgumentException($"Metric \"{Name}\" (R2Score) was updated with {sum.Length} output column(s) before and now {prediction.shape[1]}.");
        // Column sums (a literal 0 would bind to sum(ScalarType), the Byte type).
        long[] overRows = [0];
        if (mask is null)
        {
            sum = Add(sum, target.sum(overRows));
            squaredSum = Add(squaredSum, target.square().sum(overRows));
            residual = Add(residual, target.sub(prediction).square().sum(overRows));
            count += target.shape[0];
            return;
        }
        var weights = Training.OutputMask.AsWeights(mask, target, Name);   // [batch, 1]
        var weightedTarget = target.mul(weights);
        sum = Add(sum, weightedTarget.sum(overRows));
        squaredSum = Add(squaredSum, target.mul(weightedTarget).sum(overRows));
        residual = Add(residual, target.sub(prediction).square().mul(weights).sum(overRows));
        count += weights.sum().item<double>();
    }

    static double[] Add(double[]? running, Tensor batch)
    {
        var values = batch.cpu().data<double>().ToArray();
        if (running is not null)
            for (int i = 0; i < values.Length; i++) values[i] += running[i];
        return values;
    }

    /// <inheritdoc/>
    public override double Result()
    {
        if (sum is null || squaredSum is null || residual is null || count == 0) return 0.0;
        double total = 0;
        for (int i = 0; i < sum.Length; i++)
        {
            double variation = squaredSum[i] - sum[i] * (sum[i] / count);
            double score = 1 - residual[i] / variation;
            total += double.IsInfinity(score) ? 0.0 : score;
        }
        return total / sum.Length;
    }

    /// <inheritdoc/>
    public override void ResetState()
    {
        base.ResetState();
        sum = squaredSum = residual = null;
        count = 0;
    }

    /// <inheritdoc/>
    protected override Tensor PerSample(Tensor yTrue, Tensor yPred) =>
        throw new NotSupportedException("R2Score is not a mean of per-sample values; it is updated with UpdateState.");
}
