using Layerwise.Callbacks;
using Layerwise.Models;
using Layerwise.Training.Losses;
using Layerwise.Training.Metrics;
using Layerwise.Training.Optimizers;
using static TorchSharp.torch;

namespace Layerwise.Tests.Models.FunctionalApi;

/// <summary>Fit/Evaluate of a functional model with two inputs and two outputs, checked against torch ops written by hand.</summary>
[Collection(GlobalRandomState.Name)]
public class MultiOutputTrainingTests
{
    static readonly IReadOnlyDictionary<string, IEnumerable<Metric>> MetricsByOutput = new Dictionary<string, IEnumerable<Metric>>
    {
        ["cls"] = [new SparseCategoricalAccuracy()],
        ["reg"] = ["mae"],
    };

    [Fact]
    public void Evaluate_reports_the_weighted_total_and_each_outputs_loss_as_computed_by_hand()
    {
        var model = MultiOutputModel.Create();
        model.Compile(new SGD(0.1), [new SparseCategoricalCrossentropy(fromLogits: true), new MeanSquaredError()], lossWeights: [1.0, 0.25]);
        var (a, b, classes, values) = MultiOutputModel.Data(1);

        var logs = model.Evaluate([a, b], [classes, values], batchSize: (int)MultiOutputModel.Samples, verbose: 0);

        var (cls, reg) = MultiOutputModel.Forward(MultiOutputModel.Parameters(model), a, b);
        var (clsLoss, regLoss) = MultiOutputModel.Losses(cls, reg, classes, values);
        double expectedCls = clsLoss.item<float>(), expectedReg = regLoss.item<float>();
        Assert.Equal(["loss", "cls_loss", "reg_loss"], logs.Keys);
        Assert.Equal(expectedCls, logs["cls_loss"], 5);
        Assert.Equal(expectedReg, logs["reg_loss"], 5);
        Assert.Equal(expectedCls + 0.25 * expectedReg, logs["loss"], 5);
    }

    [Fact]
    public void Fit_takes_the_same_steps_as_a_hand_written_loop_on_the_same_shuffled_batches()
    {
        var model = MultiOutputModel.Create();
        var p = MultiOutputModel.Parameters(model);
        model.Compile(new SGD(0.1), [new SparseCategoricalCrossentropy(fromLogits: true), new MeanSquaredError()], lossWeights: [1.0, 0.5]);
        var (a, b, classes, values) = MultiOutputModel.Data(2);

        Backend.SetRandomSeed(11);
        var history = model.Fit([a, b], [classes, values], batchSize: 8, epochs: 2, verbose: 0);

        Backend.SetRandomSeed(11);
        foreach (var t in p) t.requires_grad_(true);
        var epochLosses = new List<double>();
        for (int epoch = 0; epoch < 2; epoch++)
        {
            var order = randperm(MultiOutputModel.Samples, ScalarType.Int64, CPU);
            double sum = 0;
            for (long start = 0; start < MultiOutputModel.Samples; start += 8)
            {
                var idx = order.narrow(0, start, Math.Min(8, MultiOutputModel.Samples - start));
                var (cls, reg) = MultiOutputModel.Forward(p, a.index_select(0, idx), b.index_select(0, idx));
                var (clsLoss, regLoss) = MultiOutputModel.Losses(cls, reg, classes.index_select(0, idx), values.index_select(0, idx));
                var total = clsLoss.mul(1.0).add(regLoss.mul(0.5));
                total.backward();
                using (no_grad())
                    foreach (var t in p) { t.add_(t.grad!, alpha: -0.1); t.grad!.zero_(); }
                sum += total.item<float>() * idx.shape[0];
            }
            epochLosses.Add(sum / MultiOutputModel.Samples);
        }

        var trained = MultiOutputModel.Parameters(model);
        for (int i = 0; i < p.Length; i++)
            Assert.True(trained[i].eq(p[i].detach()).all().item<bool>(), $"parameter {i} differs from the hand-written loop by {trained[i].sub(p[i].detach()).abs().max().item<float>()}");
        for (int e = 0; e < 2; e++) Assert.Equal(epochLosses[e], history["loss"][e], 5);
    }

    [Fact]
    public void Logs_history_and_progress_use_keras_names_for_every_output()
    {
        var model = MultiOutputModel.Create();
        model.Compile("adam", new Dictionary<string, Loss> { ["cls"] = new SparseCategoricalCrossentropy(fromLogits: true), ["reg"] = "mse" },
                      metricsByOutput: MetricsByOutput);
        var (a, b, classes, values) = MultiOutputModel.Data(3);
        var (va, vb, vclasses, vvalues) = MultiOutputModel.Data(4, 8);
        var writer = new StringWriter();
        var previous = Output.Writer;
        Output.Writer = writer;
        History history;
        try { history = model.Fit([a, b], [classes, values], epochs: 2, verbose: 2, validationData: ([va, vb], [vclasses, vvalues])); }
        finally { Output.Writer = previous; }

        string[] names = ["loss", "cls_loss", "reg_loss", "cls_sparse_categorical_accuracy", "reg_mae"];
        Assert.Equal([.. names, .. names.Select(n => "val_" + n)], history.Values.Keys);
        var line = writer.ToString().Split('\n')[1];
        Assert.Contains(" - loss: ", line);
        Assert.Contains(" - cls_loss: ", line);
        Assert.Contains(" - val_reg_mae: ", line);
        var evaluated = model.Evaluate([va, vb], [vclasses, vvalues], verbose: 0);
        foreach (var name in names) Assert.Equal(evaluated[name], history["val_" + name][^1]);
    }

    [Fact]
    public void A_metric_list_applies_a_copy_to_each_output_and_accuracy_follows_each_outputs_loss()
    {
        var model = MultiOutputModel.Create();
        model.Compile("sgd", [new SparseCategoricalCrossentropy(fromLogits: true), new MeanSquaredError()], metrics: ["accuracy"]);
        var (a, b, classes, values) = MultiOutputModel.Data(5);

        var logs = model.Evaluate([a, b], [classes, values], verbose: 0);

        Assert.Equal(["loss", "cls_loss", "reg_loss", "cls_accuracy", "reg_accuracy"], logs.Keys);
        Assert.IsType<SparseCategoricalAccuracy>(model.Metrics[0]);
        Assert.IsType<Accuracy>(model.Metrics[1]);
        var (cls, reg) = MultiOutputModel.Forward(MultiOutputModel.Parameters(model), a, b);
        Assert.Equal(cls.argmax(-1).eq(classes).to_type(ScalarType.Float64).mean().item<double>(), logs["cls_accuracy"], 6);
        Assert.Equal(reg.eq(values).to_type(ScalarType.Float64).mean().item<double>(), logs["reg_accuracy"], 6);
    }

    [Fact]
    public void Validation_split_holds_out_the_last_samples_of_every_input_and_target()
    {
        var model = MultiOutputModel.Create();
        model.Compile("sgd", [new SparseCategoricalCrossentropy(fromLogits: true), new MeanSquaredError()]);
        var (a, b, classes, values) = MultiOutputModel.Data(6);

        var history = model.Fit([a, b], [classes, values], batchSize: 4, epochs: 1, verbose: 0, validationSplit: 0.25);

        var held = model.Evaluate([a.narrow(0, 15, 5), b.narrow(0, 15, 5)], [classes.narrow(0, 15, 5), values.narrow(0, 15, 5)], batchSize: 4, verbose: 0);
        Assert.Equal(held["loss"], history["val_loss"][0]);
        Assert.Equal(held["reg_loss"], history["val_reg_loss"][0]);
    }

    [Fact]
    public void Model_checkpoint_monitors_a_per_output_validation_loss()
    {
        using var dir = new TempDirectory();
        var model = MultiOutputModel.Create();
        model.Compile("adam", [new SparseCategoricalCrossentropy(fromLogits: true), new MeanSquaredError()]);
        var (a, b, classes, values) = MultiOutputModel.Data(7);
        var checkpoint = new ModelCheckpoint(dir.Combine("best.weights.h5"), monitor: "val_reg_loss", saveBestOnly: true, saveWeightsOnly: true, verbose: 1);
        var writer = new StringWriter();
        var previous = Output.Writer;
        Output.Writer = writer;
        try { model.Fit([a, b], [classes, values], epochs: 2, verbose: 0, validationSplit: 0.2, callbacks: [checkpoint]); }
        finally { Output.Writer = previous; }

        Assert.True(File.Exists(dir.Combine("best.weights.h5")));
        Assert.Contains("val_reg_loss improved from inf", writer.ToString());
    }

    sealed class CrashInEpoch2 : Callback
    {
        int epoch;
        public override void OnEpochBegin(int epoch, Layerwise.Training.Logs logs) => this.epoch = epoch;
        public override void OnTrainBatchEnd(int batch, Layerwise.Training.Logs logs)
        {
            if (epoch == 2 && batch == 1) throw new TimeoutException("simulated crash");
        }
    }

    [Fact]
    public void Backup_and_restore_resumes_a_multi_output_fit_bit_identically()
    {
        using var dir = new TempDirectory();
        var backup = dir.Combine("backup");
        var (a, b, classes, values) = MultiOutputModel.Data(12);
        Functional Compiled()
        {
            var model = MultiOutputModel.Create();
            model.Compile("adam", [new SparseCategoricalCrossentropy(fromLogits: true), new MeanSquaredError()], metrics: ["accuracy"], lossWeights: [1.0, 0.5]);
            return model;
        }

        Backend.SetRandomSeed(9);
        var straight = Compiled();
        var straightHistory = straight.Fit([a, b], [classes, values], batchSize: 8, epochs: 4, verbose: 0, validationSplit: 0.2);
        Backend.SetRandomSeed(9);
        var first = Compiled();
        Assert.Throws<TimeoutException>(() => first.Fit([a, b], [classes, values], batchSize: 8, epochs: 4, verbose: 0, validationSplit: 0.2,
                                                        callbacks: [new BackupAndRestore(backup), new CrashInEpoch2()]));
        var second = Compiled();
        var history = second.Fit([a, b], [classes, values], batchSize: 8, epochs: 4, verbose: 0, validationSplit: 0.2, callbacks: [new BackupAndRestore(backup)]);

        Assert.Equal(TutorialModel.WeightValues(straight), TutorialModel.WeightValues(second));
        foreach (var key in straightHistory.Values.Keys) Assert.Equal(straightHistory[key], history[key]);
    }
}
