using Layerwise.Training.Losses;
using Layerwise.Training.Metrics;
using static TorchSharp.torch;

namespace Layerwise.Tests.Training;

/// <summary>Losses and metrics against values worked out by hand.</summary>
public class LossAndMetricTests
{
    static Tensor T(float[] values, params long[] shape) => tensor(values, shape);

    [Fact]
    public void Sparse_categorical_crossentropy_from_logits_is_mean_negative_log_softmax()
    {
        var logits = T([2f, 1f, 0f, 0f, 0f, 3f], 2, 3);
        var labels = T([0f, 2f], 2);
        double Lse(params double[] v) => Math.Log(v.Sum(Math.Exp));
        double expected = ((Lse(2, 1, 0) - 2) + (Lse(0, 0, 3) - 3)) / 2;

        double actual = new SparseCategoricalCrossentropy(fromLogits: true).Call(labels, logits).item<float>();

        Assert.Equal(expected, actual, 5);
    }

    [Fact]
    public void Crossentropy_on_probabilities_clips_zero_to_keras_epsilon()
    {
        var probabilities = T([1f, 0f], 1, 2);
        var labels = T([1f], 1);
        double actual = new SparseCategoricalCrossentropy().Call(labels, probabilities).item<float>();
        Assert.Equal(-Math.Log(1e-7), actual, 3);   // Keras clips to [1e-7, 1 - 1e-7]; unclipped would be infinite
    }

    [Fact]
    public void Categorical_crossentropy_matches_hand_computation()
    {
        var probabilities = T([0.7f, 0.2f, 0.1f, 0.1f, 0.1f, 0.8f], 2, 3);
        var oneHot = T([1f, 0f, 0f, 0f, 0f, 1f], 2, 3);
        double expected = -(Math.Log(0.7) + Math.Log(0.8)) / 2;
        Assert.Equal(expected, new CategoricalCrossentropy().Call(oneHot, probabilities).item<float>(), 5);
    }

    [Fact]
    public void Binary_crossentropy_with_and_without_logits_agree_with_hand_computation()
    {
        var targets = T([1f, 0f], 2, 1);
        var p = new[] { 0.9, 0.3 };
        double expected = -(Math.Log(0.9) + Math.Log(0.7)) / 2;
        var logits = T(p.Select(v => (float)Math.Log(v / (1 - v))).ToArray(), 2, 1);

        Assert.Equal(expected, new BinaryCrossentropy().Call(targets, T([0.9f, 0.3f], 2, 1)).item<float>(), 5);
        Assert.Equal(expected, new BinaryCrossentropy(fromLogits: true).Call(targets, logits).item<float>(), 5);
    }

    [Fact]
    public void Mean_squared_error_averages_over_last_axis_then_batch()
    {
        var predictions = T([1f, 2f, 3f, 4f], 2, 2);
        var targets = T([1f, 0f, 0f, 0f], 2, 2);
        Assert.Equal((0 + 4 + 9 + 16) / 4.0, new MeanSquaredError().Call(targets, predictions).item<float>(), 5);
    }

    [Fact]
    public void Accuracy_metrics_accumulate_over_batches()
    {
        var sparse = new SparseCategoricalAccuracy();
        sparse.UpdateState(T([0f, 1f], 2), T([0.9f, 0.1f, 0.8f, 0.2f], 2, 2));    // 1 of 2 right
        sparse.UpdateState(T([1f], 1), T([0.3f, 0.7f], 1, 2));                   // 1 of 1 right
        Assert.Equal(2.0 / 3, sparse.Result(), 6);

        var categorical = new CategoricalAccuracy();
        categorical.UpdateState(T([0f, 1f, 1f, 0f], 2, 2), T([0.2f, 0.8f, 0.6f, 0.4f], 2, 2));
        Assert.Equal(1.0, categorical.Result(), 6);

        var exact = new Accuracy();
        exact.UpdateState(T([1f, 2f, 3f, 4f], 4), T([1f, 2f, 0f, 4f], 4));
        Assert.Equal(0.75, exact.Result(), 6);

        var mae = new Layerwise.Training.Metrics.MeanAbsoluteError();
        mae.UpdateState(T([0f, 0f, 1f, 1f], 2, 2), T([1f, -1f, 1f, 3f], 2, 2));
        Assert.Equal((1 + 1 + 0 + 2) / 4.0, mae.Result(), 6);

        sparse.ResetState();
        Assert.Equal(0.0, sparse.Result());
    }

    [Fact]
    public void Losses_and_metrics_resolve_from_keras_names()
    {
        Assert.IsType<SparseCategoricalCrossentropy>(Loss.Get("sparse_categorical_crossentropy"));
        Assert.IsType<MeanSquaredError>(Loss.Get("mse"));
        Assert.IsType<CategoricalAccuracy>(Metric.Get("categorical_accuracy"));
        Assert.Equal("mae", Metric.Get("mae").Name);
        var e = Assert.Throws<ArgumentException>(() => Loss.Get("hinge2"));
        Assert.Contains("sparse_categorical_crossentropy", e.Message);
    }
}
