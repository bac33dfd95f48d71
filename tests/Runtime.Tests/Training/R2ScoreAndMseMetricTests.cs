using Layerwise.Training.Metrics;
using static TorchSharp.torch;

namespace Layerwise.Tests.Training;

/// <summary>
/// The metrics real Keras 3 files name in <c>compile_config</c> beyond the accuracies: <c>"mse"</c> and
/// <c>"r2_score"</c> (Keras' <c>R2Score</c>), against hand computations in double arithmetic.
/// </summary>
public class R2ScoreAndMseMetricTests
{
    [Fact]
    public void Mse_metric_is_the_mean_squared_difference_over_all_batches()
    {
        var mse = Metric.Get("mse");
        Assert.Equal(("mse", "MeanSquaredError"), (mse.Name, mse.ClassName));
        mse.UpdateState(tensor(new float[] { 1, 2, 3, 4 }).reshape(2, 2), tensor(new float[] { 1.5f, 2, 1, 4 }).reshape(2, 2));
        mse.UpdateState(tensor(new float[] { 0, 0 }).reshape(1, 2), tensor(new float[] { 3, -1 }).reshape(1, 2));
        // per sample: (0.25 + 0) / 2, (4 + 0) / 2, (9 + 1) / 2 -> mean of 0.125, 2, 5
        Assert.Equal((0.125 + 2 + 5) / 3, mse.Result(), 6);
    }

    [Fact]
    public void R2_score_is_the_coefficient_of_determination_over_all_batches_averaged_over_columns()
    {
        double[,] y = { { 1, 10 }, { 2, 20 }, { 4, 10 }, { 5, 40 } };
        double[,] p = { { 1.5, 12 }, { 2, 18 }, { 3, 15 }, { 5.5, 35 } };
        var r2 = Metric.Get("r2_score");
        Assert.Equal("r2_score", r2.Name);
        r2.UpdateState(Rows(y, 0, 3), Rows(p, 0, 3));
        r2.UpdateState(Rows(y, 3, 1), Rows(p, 3, 1));

        double expected = 0;
        for (int c = 0; c < 2; c++)
        {
            double mean = 0, residual = 0, total = 0;
            for (int r = 0; r < 4; r++) mean += y[r, c] / 4;
            for (int r = 0; r < 4; r++)
            {
                residual += (y[r, c] - p[r, c]) * (y[r, c] - p[r, c]);
                total += (y[r, c] - mean) * (y[r, c] - mean);
            }
            expected += (1 - residual / total) / 2;
        }
        Assert.Equal(expected, r2.Result(), 6);
        r2.ResetState();
        Assert.Equal(0.0, r2.Result());
    }

    static Tensor Rows(double[,] values, int start, int count)
    {
        var data = new float[count * 2];
        for (int r = 0; r < count; r++)
            for (int c = 0; c < 2; c++) data[r * 2 + c] = (float)values[start + r, c];
        return tensor(data).reshape(count, 2);
    }
}
