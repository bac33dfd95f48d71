using Layerwise.Callbacks;
using Layerwise.Layers;
using Layerwise.Models;
using Layerwise.Tests.Support;
using Layerwise.Training;
using static TorchSharp.torch;

namespace Layerwise.Tests.Training;

public class FitTests
{
    [Fact]
    public void Training_the_tutorial_model_lowers_the_loss_every_few_epochs_and_learns()
    {
        Backend.SetRandomSeed(7);
        var (x, y) = Tutorial.Train(1000);
        var model = Tutorial.CreateModel();

        var history = model.Fit(x, y, epochs: 5, verbose: 0);

        var losses = history["loss"];
        Assert.Equal(5, losses.Count);
        for (int i = 1; i < losses.Count; i++)
            Assert.True(losses[i] < losses[i - 1], $"loss went up at epoch {i + 1}: {string.Join(", ", losses)}");
        Assert.True(history["sparse_categorical_accuracy"][^1] > 0.9, "the model should fit 1000 training digits");
    }

    [Fact]
    public void Seeded_runs_give_identical_weights_and_losses()
    {
        var (x, y) = Tutorial.Train(256);

        (float[] Weights, IReadOnlyList<double> Losses) Run(long seed)
        {
            Backend.SetRandomSeed(seed);
            var model = Tutorial.CreateModel();
            var history = model.Fit(x, y, epochs: 2, verbose: 0);   // shuffling and dropout both draw from the seed
            var weights = model.Weights.SelectMany(w => w.ToCpu().data<float>().ToArray()).ToArray();
            return (weights, history["loss"]);
        }

        var first = Run(123);
        var second = Run(123);
        var other = Run(124);

        Assert.Equal(first.Losses, second.Losses);
        Assert.True(first.Weights.AsSpan().SequenceEqual(second.Weights), "same seed, different weights");
        Assert.NotEqual(first.Losses, other.Losses);
    }

    [Fact]
    public void Validation_data_is_reported_with_val_prefix_and_matches_evaluate()
    {
        Backend.SetRandomSeed(3);
        var (x, y) = Tutorial.Train(200);
        var (xv, yv) = Tutorial.Test(100);
        var model = Tutorial.CreateModel();

        var history = model.Fit(x, y, epochs: 1, verbose: 0, validationData: (xv, yv));
        var (loss, accuracy) = model.Evaluate(xv, yv, verbose: 0);

        Assert.Equal(["loss", "sparse_categorical_accuracy", "val_loss", "val_sparse_categorical_accuracy"], history.Values.Keys);
        Assert.Equal(loss, history["val_loss"][0], 6);
        Assert.Equal(accuracy, history["val_sparse_categorical_accuracy"][0], 6);
    }

    [Fact]
    public void Validation_split_holds_out_the_last_samples()
    {
        var (x, y) = Tutorial.Train(100);
        var model = Tutorial.CreateModel();
        var seen = new BatchCounter();

        model.Fit(x, y, batchSize: 10, epochs: 1, verbose: 0, validationSplit: 0.2, callbacks: [seen]);

        Assert.Equal(8, seen.TrainBatches);                 // 80 training samples in batches of 10
        Assert.Equal(8, seen.Parameters!.Steps);
    }

    [Fact]
    public void Callbacks_see_train_epoch_and_batch_moments_in_keras_order()
    {
        var (x, y) = Tutorial.Train(64);
        var model = Tutorial.CreateModel();
        var recorder = new Recorder();

        model.Fit(x, y, batchSize: 32, epochs: 2, verbose: 0, callbacks: [recorder]);

        Assert.Equal(
            ["train_begin", "epoch_begin 0", "batch_begin 0", "batch_end 0", "batch_begin 1", "batch_end 1", "epoch_end 0",
             "epoch_begin 1", "batch_begin 0", "batch_end 0", "batch_begin 1", "batch_end 1", "epoch_end 1", "train_end"],
            recorder.Events);
        Assert.Same(model, recorder.Model);
    }

    [Fact]
    public void Initial_epoch_continues_the_count_and_stop_training_ends_early()
    {
        var (x, y) = Tutorial.Train(64);
        var model = Tutorial.CreateModel();
        var stopper = new StopAfter(epoch: 4);

        var history = model.Fit(x, y, epochs: 10, initialEpoch: 3, verbose: 0, callbacks: [stopper]);

        Assert.Equal([3, 4], history.Epochs);
    }

    [Fact]
    public void Predict_returns_one_row_per_sample_on_cpu_and_is_deterministic()
    {
        Backend.SetRandomSeed(5);
        var (x, _) = Tutorial.Test(70);
        var model = Tutorial.CreateModel();

        using var first = model.Predict(x, batchSize: 32);
        using var second = model.Predict(x, batchSize: 7);

        Assert.Equal([70L, 10L], first.shape);
        Assert.Equal(TorchSharp.DeviceType.CPU, first.device_type);
        Assert.True(first.allclose(second, rtol: 0, atol: 1e-6), "dropout must be off in Predict");
    }

    [Fact]
    public void Fit_before_compile_says_to_compile()
    {
        var model = new Sequential(new Dense(1, inputShape: [2]));
        var e = Assert.Throws<InvalidOperationException>(() => model.Fit(zeros(4, 2), zeros(4, 1), verbose: 0));
        Assert.Contains("Compile", e.Message);
    }

    [Fact]
    public void String_accuracy_is_resolved_against_the_loss_and_logged_under_its_name()
    {
        var (x, y) = Tutorial.Train(64);
        var model = new Sequential(new Dense(10, inputShape: [784]));
        model.Compile("sgd", "sparse_categorical_crossentropy", ["accuracy"]);

        var history = model.Fit(x, y, epochs: 1, verbose: 0);

        Assert.Equal(["loss", "accuracy"], history.Values.Keys);
        Assert.InRange(history["accuracy"][0], 0.0, 1.0);
    }

    sealed class BatchCounter : Callback
    {
        public int TrainBatches;
        public override void OnTrainBatchEnd(int batch, Logs logs) => TrainBatches++;
    }

    sealed class Recorder : Callback
    {
        public List<string> Events { get; } = [];
        public override void OnTrainBegin(Logs logs) => Events.Add("train_begin");
        public override void OnTrainEnd(Logs logs) => Events.Add("train_end");
        public override void OnEpochBegin(int epoch, Logs logs) => Events.Add($"epoch_begin {epoch}");
        public override void OnEpochEnd(int epoch, Logs logs) => Events.Add($"epoch_end {epoch}");
        public override void OnTrainBatchBegin(int batch, Logs logs) => Events.Add($"batch_begin {batch}");
        public override void OnTrainBatchEnd(int batch, Logs logs) => Events.Add($"batch_end {batch}");
    }

    sealed class StopAfter(int epoch) : Callback
    {
        public override void OnEpochEnd(int e, Logs logs)
        {
            if (e >= epoch) Model!.StopTraining = true;
        }
    }
}
