using System.Text.Json.Nodes;
using Layerwise.Layers;
using Layerwise.Models;
using Layerwise.Serialization;
using Layerwise.Training.Metrics;
using Layerwise.Training.Optimizers;
using TorchSharp;
using static TorchSharp.torch;
using Losses = Layerwise.Training.Losses;

namespace Layerwise.Tests.Training;

/// <summary>
/// Precision, Recall, AUC and the top-k accuracies against the examples of their Keras docstrings and the
/// hand-worked cases of tf.keras' <c>confusion_metrics_test.py</c> (integer sample weights there are written
/// here as repeated samples: counts are the same); the function-style metric names Keras accepts in
/// <c>compile</c>; configs through compile configs and model files.
/// </summary>
public class KerasMetricTests
{
    static Tensor T(params float[] values) => tensor(values);

    static double Measure(Metric metric, Tensor yTrue, Tensor yPred)
    {
        metric.UpdateState(yTrue, yPred);
        return metric.Result();
    }

    [Fact]
    public void Precision_and_recall_give_their_keras_docstring_values()
    {
        Assert.Equal(0.6666667, Measure(new Precision(), T(0, 1, 1, 1), T(1, 0, 1, 1)), 6);
        Assert.Equal(0.0, Measure(new Precision(topK: 2), T(0, 0, 1, 1), T(1, 1, 1, 1)), 6);
        Assert.Equal(0.5, Measure(new Precision(topK: 4), T(0, 0, 1, 1), T(1, 1, 1, 1)), 6);
        Assert.Equal(0.6666667, Measure(new Recall(), T(0, 1, 1, 1), T(1, 0, 1, 1)), 6);
    }

    [Fact]
    public void Precision_and_recall_accumulate_over_batches_at_a_threshold_and_class_as_counted_by_hand()
    {
        using var yTrue = tensor(new float[] { 1, 0, 0, 1, 1, 0, 0, 1, 1 }, [3, 3]);
        using var yPred = tensor(new float[] { 0.9f, 0.4f, 0.2f, 0.3f, 0.8f, 0.7f, 0.1f, 0.35f, 0.6f }, [3, 3]);
        // Threshold 0.3, every element: predicted positive where > 0.3.
        using var predicted = yPred.gt(0.3);
        using var actual = yTrue.ne(0);
        double tp = predicted.logical_and(actual).sum().item<long>(), fp = predicted.logical_and(actual.logical_not()).sum().item<long>();
        double fn = predicted.logical_not().logical_and(actual).sum().item<long>();
        var precision = new Precision(threshold: 0.3);
        var recall = new Recall(threshold: 0.3);
        foreach (var row in new[] { 0L, 1, 2 })
        {
            precision.UpdateState(yTrue.narrow(0, row, 1), yPred.narrow(0, row, 1));
            recall.UpdateState(yTrue.narrow(0, row, 1), yPred.narrow(0, row, 1));
        }
        Assert.Equal(tp / (tp + fp), precision.Result(), 10);
        Assert.Equal(tp / (tp + fn), recall.Result(), 10);

        // class_id 2: only the last column (targets 0, 0, 1; predictions 0.2, 0.7, 0.6).
        Assert.Equal(0.5, Measure(new Precision(classId: 2), yTrue, yPred), 10);
        Assert.Equal(1.0, Measure(new Recall(classId: 2), yTrue, yPred), 10);
        var reset = new Precision();
        reset.UpdateState(yTrue, yPred);
        reset.ResetState();
        Assert.Equal(0.0, reset.Result());
    }

    static readonly float[] AucTrue = [0, 0, 1, 1];
    static readonly float[] AucPred = [0, 0.5f, 0.3f, 0.9f];

    /// <summary>confusion_metrics_test.py's sample_weight [1, 2, 3, 4], as repeated samples.</summary>
    static (Tensor, Tensor) WeightedAucData()
    {
        int[] repeats = [1, 2, 3, 4];
        var yTrue = AucTrue.SelectMany((v, i) => Enumerable.Repeat(v, repeats[i])).ToArray();
        var yPred = AucPred.SelectMany((v, i) => Enumerable.Repeat(v, repeats[i])).ToArray();
        return (tensor(yTrue), tensor(yPred));
    }

    [Fact]
    public void Auc_gives_the_values_of_keras_docstring_and_tests()
    {
        Assert.Equal(0.75, Measure(new AUC(numThresholds: 3), tensor(AucTrue), tensor(AucPred)), 6);
        // from_logits: the sigmoid of these logits ranks the samples as AucPred does on both sides of 0.5.
        var logits = new[] { 0.01, 0.45, 0.3, 0.9 }.Select(p => (float)Math.Log(p / (1 - p))).ToArray();
        Assert.Equal(0.75, Measure(new AUC(numThresholds: 3, fromLogits: true), tensor(AucTrue), tensor(logits)), 6);

        var (yTrue, yPred) = WeightedAucData();
        Assert.Equal(0.7855, Measure(new AUC(numThresholds: 3), yTrue, yPred), 3);
        Assert.Equal(1.0, Measure(new AUC(numThresholds: 3, summationMethod: "majoring"), yTrue, yPred), 3);
        Assert.Equal(0.571, Measure(new AUC(numThresholds: 3, summationMethod: "minoring"), yTrue, yPred), 3);
        Assert.Equal(1 * 0.429 + 1 * 0.571, Measure(new AUC(numThresholds: 3, curve: "PR", summationMethod: "majoring"), yTrue, yPred), 3);
        Assert.Equal(0.7 * 0.429 + 0 * 0.571, Measure(new AUC(numThresholds: 3, curve: "PR", summationMethod: "minoring"), yTrue, yPred), 3);
        Assert.Equal(2.416 / 7 + 4.0 / 7, Measure(new AUC(numThresholds: 3, curve: "PR"), yTrue, yPred), 3);
    }

    [Fact]
    public void Auc_with_200_thresholds_approaches_the_exact_roc_area()
    {
        var generator = new Generator(5);
        using var yTrue = randint(0, 2, [400], generator: generator).to_type(ScalarType.Float32);
        using var noise = rand([400], generator: generator);
        using var yPred = (yTrue * 0.3 + noise * 0.7).clamp(0, 1);
        // The exact ROC AUC: the share of (positive, negative) pairs ranked correctly (ties count half).
        var t = yTrue.data<float>().ToArray();
        var p = yPred.data<float>().ToArray();
        double correct = 0, pairs = 0;
        for (int i = 0; i < t.Length; i++)
            for (int j = 0; j < t.Length; j++)
                if (t[i] == 1 && t[j] == 0)
                {
                    pairs++;
                    correct += p[i] > p[j] ? 1 : p[i] == p[j] ? 0.5 : 0;
                }
        Assert.Equal(correct / pairs, Measure(new AUC(), yTrue, yPred), 2);
    }

    [Fact]
    public void Top_k_accuracies_give_their_keras_docstring_values_and_count_ties_as_in_top_k()
    {
        using var oneHot = tensor(new float[] { 0, 0, 1, 0, 1, 0 }, [2, 3]);
        using var scores = tensor(new float[] { 0.1f, 0.9f, 0.8f, 0.05f, 0.95f, 0f }, [2, 3]);
        Assert.Equal(0.5, Measure(new TopKCategoricalAccuracy(k: 1), oneHot, scores), 6);
        Assert.Equal(0.5, Measure(new SparseTopKCategoricalAccuracy(k: 1), T(2, 1), scores), 6);
        Assert.Equal(1.0, Measure(new SparseTopKCategoricalAccuracy(k: 2), T(2, 1), scores), 6);
        using var tied = tensor(new float[] { 0.5f, 0.5f, 0.5f }, [1, 3]);
        Assert.Equal(1.0, Measure(new SparseTopKCategoricalAccuracy(k: 1), T(2), tied), 6);   // in_top_k: ties are in
        Assert.Equal(5, new TopKCategoricalAccuracy().K);
    }

    [Theory]
    [InlineData("mse", "mse", "MeanSquaredError")]
    [InlineData("mean_squared_error", "mean_squared_error", "MeanSquaredError")]
    [InlineData("MeanSquaredError", "mean_squared_error", "MeanSquaredError")]
    [InlineData("mape", "mape", "MeanAbsolutePercentageError")]
    [InlineData("msle", "msle", "MeanSquaredLogarithmicError")]
    [InlineData("mae", "mae", "MeanAbsoluteError")]
    [InlineData("logcosh", "logcosh", "LogCoshError")]
    [InlineData("kld", "kld", "KLDivergence")]
    [InlineData("KLDivergence", "kullback_leibler_divergence", "KLDivergence")]
    [InlineData("poisson", "poisson", "Poisson")]
    [InlineData("hinge", "hinge", "Hinge")]
    [InlineData("squared_hinge", "squared_hinge", "SquaredHinge")]
    [InlineData("categorical_hinge", "categorical_hinge", "CategoricalHinge")]
    [InlineData("cosine_similarity", "cosine_similarity", "CosineSimilarity")]
    [InlineData("binary_crossentropy", "binary_crossentropy", "BinaryCrossentropy")]
    [InlineData("categorical_crossentropy", "categorical_crossentropy", "CategoricalCrossentropy")]
    [InlineData("sparse_categorical_crossentropy", "sparse_categorical_crossentropy", "SparseCategoricalCrossentropy")]
    [InlineData("precision", "precision", "Precision")]
    [InlineData("recall", "recall", "Recall")]
    [InlineData("auc", "auc", "AUC")]
    [InlineData("AUC", "auc", "AUC")]
    [InlineData("top_k_categorical_accuracy", "top_k_categorical_accuracy", "TopKCategoricalAccuracy")]
    [InlineData("sparse_top_k_categorical_accuracy", "sparse_top_k_categorical_accuracy", "SparseTopKCategoricalAccuracy")]
    public void Metric_names_keras_accepts_in_compile_resolve_with_keras_log_names(string given, string logged, string kerasClass)
    {
        var metric = Metric.Get(given);
        Assert.Equal(logged, metric.Name);
        Assert.Equal(kerasClass, metric.ClassName);
    }

    [Fact]
    public void Function_style_metrics_average_the_per_sample_function_over_batches()
    {
        using var yTrue = tensor(new float[] { 0, 1, 1, 1 }, [2, 2]);
        using var yPred = tensor(new float[] { 0.5f, 1, 0, 3 }, [2, 2]);
        // mse per sample: (0.25 + 0) / 2, (1 + 4) / 2.
        var mse = Metric.Get("mse");
        mse.UpdateState(yTrue.narrow(0, 0, 1), yPred.narrow(0, 0, 1));
        mse.UpdateState(yTrue.narrow(0, 1, 1), yPred.narrow(0, 1, 1));
        Assert.Equal((0.125 + 2.5) / 2, mse.Result(), 6);
        // Keras' metric cosine_similarity is positive (the loss is its negative): the docstring's [[0, 1], [1, 1]] vs [[1, 0], [1, 1]] gives 0.5.
        Assert.Equal(0.5, Measure(Metric.Get("cosine_similarity"), tensor(new float[] { 0, 1, 1, 1 }, [2, 2]), tensor(new float[] { 1, 0, 1, 1 }, [2, 2])), 6);
    }

    [Fact]
    public void Crossentropy_and_accuracy_strings_resolve_against_each_outputs_loss()
    {
        var model = new Sequential(new Dense(3, activation: "softmax", inputShape: [4]));
        model.Compile("adam", new Losses.SparseCategoricalCrossentropy(), ["crossentropy", "acc"]);
        var crossentropy = Assert.IsType<MeanMetricWrapper>(model.Metrics[0]);
        Assert.Equal(("crossentropy", "SparseCategoricalCrossentropy"), (crossentropy.Name, crossentropy.ClassName));
        Assert.IsType<SparseCategoricalAccuracy>(model.Metrics[1]);
        var binary = new Sequential(new Dense(1, activation: "sigmoid", inputShape: [4]));
        binary.Compile("adam", "binary_crossentropy", ["ce"]);
        Assert.Equal("BinaryCrossentropy", binary.Metrics[0].ClassName);
    }

    public static TheoryData<string> ConfiguredMetrics() => ["precision", "recall", "auc_pr", "auc_thresholds", "top_k", "sparse_top_k", "mse", "kld", "cosine"];

    static Metric Configured(string kind) => kind switch
    {
        "precision" => new Precision(threshold: 0.3, topK: 2, name: "p"),
        "recall" => new Recall(threshold: 0.7, classId: 1),
        "auc_pr" => new AUC(numThresholds: 50, curve: "PR", summationMethod: "minoring", fromLogits: true),
        "auc_thresholds" => new AUC(thresholds: [0.2, 0.4, 0.6], name: "auc_3"),
        "top_k" => new TopKCategoricalAccuracy(k: 3),
        "sparse_top_k" => new SparseTopKCategoricalAccuracy(k: 2, name: "top2"),
        "mse" => Metric.Get("mse"),
        "kld" => Metric.Get("kld"),
        "cosine" => Metric.Get("cosine_similarity"),
        _ => throw new ArgumentException(kind),
    };

    [Theory]
    [MemberData(nameof(ConfiguredMetrics))]
    public void Metric_config_round_trips_through_keras_2_and_keras_3_compile_configs(string kind)
    {
        var original = Configured(kind);
        foreach (var config in new[] { CompileConfig.WriteTrainingConfig(new SGD(), "mse", [original]), CompileConfig.WriteCompileConfig(new SGD(), "mse", [original]) })
        {
            var read = CompileConfig.Read(JsonNode.Parse(config.ToJsonString())!.AsObject(), "compile_config").Metrics.Single();
            Assert.Equal((original.GetType(), original.Name, original.ClassName), (read.GetType(), read.Name, read.ClassName));
            switch (original)
            {
                case ConfusionMatrixMetric confusion:
                    var back = (ConfusionMatrixMetric)read;
                    Assert.Equal(confusion.Thresholds, back.Thresholds);
                    Assert.Equal((confusion.TopK, confusion.ClassId), (back.TopK, back.ClassId));
                    if (confusion is AUC auc)
                        Assert.Equal((auc.Curve, auc.SummationMethod, auc.FromLogits), (((AUC)back).Curve, ((AUC)back).SummationMethod, ((AUC)back).FromLogits));
                    break;
                case TopKCategoricalAccuracy topK: Assert.Equal(topK.K, ((TopKCategoricalAccuracy)read).K); break;
                case SparseTopKCategoricalAccuracy sparse: Assert.Equal(sparse.K, ((SparseTopKCategoricalAccuracy)read).K); break;
            }
        }
    }

    [Fact]
    public void Keras_configs_with_several_thresholds_or_multi_label_auc_are_refused_by_name()
    {
        var several = JsonNode.Parse("""{"optimizer": "adam", "loss": "mse", "metrics": [{"class_name": "Precision", "config": {"name": "p", "thresholds": [0.3, 0.6]}}]}""")!.AsObject();
        var e = Assert.Throws<ConfigException>(() => CompileConfig.Read(several, "compile_config"));
        Assert.Contains("thresholds", e.Message);
        var multi = JsonNode.Parse("""{"optimizer": "adam", "loss": "mse", "metrics": [{"class_name": "AUC", "config": {"name": "auc", "multi_label": true}}]}""")!.AsObject();
        Assert.Contains("multi-label", Assert.Throws<ConfigException>(() => CompileConfig.Read(multi, "compile_config")).Message);
    }

    [Theory]
    [InlineData("model.h5")]
    [InlineData("model.keras")]
    public void A_model_compiled_with_the_new_metrics_trains_logs_them_and_loads_them_back(string file)
    {
        TutorialModel.SingleThread();
        using var dir = new TempDirectory();
        var generator = new Generator(9);
        using var x = rand([40, 4], generator: generator);
        using var y = randint(0, 2, [40, 1], generator: generator).to_type(ScalarType.Float32);
        var model = new Sequential(new Dense(1, activation: "sigmoid", inputShape: [4]));
        model.Compile("adam", "binary_crossentropy", ["precision", "recall", new AUC(curve: "PR"), "mse", "ce"]);
        var history = model.Fit(x, y, batchSize: 8, epochs: 2, verbose: 0, shuffle: false);
        foreach (var key in new[] { "precision", "recall", "auc", "mse", "ce" })
            Assert.Equal(2, history[key].Count);
        using var predictions = model.Predict(x);
        var reference = new Precision();
        reference.UpdateState(y, predictions);
        var logs = model.Evaluate(x, y, verbose: 0);
        Assert.Equal(reference.Result(), logs["precision"], 6);

        model.Save(dir.Combine(file));
        var loaded = Model.Load(dir.Combine(file));
        Assert.Equal(model.Metrics.Select(m => (m.GetType(), m.Name, m.ClassName)), loaded.Metrics.Select(m => (m.GetType(), m.Name, m.ClassName)));
        Assert.Equal("PR", ((AUC)loaded.Metrics[2]).Curve);
    }
}
