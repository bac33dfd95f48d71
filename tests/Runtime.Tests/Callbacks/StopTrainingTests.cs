using Layerwise.Callbacks;
using Layerwise.Training;
using static TorchSharp.torch;

namespace Layerwise.Tests.Callbacks;

/// <summary>Fit honours StopTraining after a batch and after an epoch as Keras' fit loop does; TerminateOnNaN and LambdaCallback.</summary>
public class StopTrainingTests
{
    static string Capture(Action run)
    {
        var writer = new StringWriter { NewLine = "\n" };
        var previous = Output.Writer;
        Output.Writer = writer;
        try { run(); }
        finally { Output.Writer = previous; }
        return writer.ToString();
    }

    [Fact]
    public void Stopping_in_a_batch_skips_the_rest_of_the_epoch_but_the_epoch_still_ends_and_is_recorded()
    {
        var model = ScriptedTraining.Model();
        var (x, y) = ScriptedTraining.Data(32);
        var events = new List<string>();
        var stop = new LambdaCallback(
            onEpochBegin: (e, _) => events.Add($"epoch_begin {e}"),
            onEpochEnd: (e, _) => events.Add($"epoch_end {e}"),
            onBatchBegin: (b, _) => events.Add($"batch_begin {b}"),
            onBatchEnd: (b, _) => { events.Add($"batch_end {b}"); if (b == 1) model.StopTraining = true; },
            onTrainBegin: _ => events.Add("train_begin"),
            onTrainEnd: _ => events.Add("train_end"));
        var history = model.Fit(x, y, batchSize: 8, epochs: 3, verbose: 0, shuffle: false, callbacks: [stop]);
        Assert.Equal(["train_begin", "epoch_begin 0", "batch_begin 0", "batch_end 0", "batch_begin 1", "batch_end 1", "epoch_end 0", "train_end"], events);
        Assert.Equal([0], history.Epochs);
        Assert.Single(history["loss"]);
        Assert.Equal(2, model.Optimizer!.Iterations);
    }

    [Fact]
    public void A_stopped_epoch_shows_the_batches_that_ran_in_the_progress_bar()
    {
        var model = ScriptedTraining.Model();
        var (x, y) = ScriptedTraining.Data(32);
        var stop = new LambdaCallback(onBatchEnd: (b, _) => { if (b == 2) model.StopTraining = true; });
        var output = Capture(() => model.Fit(x, y, batchSize: 8, epochs: 1, verbose: 2, callbacks: [stop]));
        Assert.StartsWith("3/4 - ", output);
    }

    [Fact]
    public void TerminateOnNaN_stops_after_the_batch_whose_loss_is_invalid_with_Keras_message()
    {
        var model = ScriptedTraining.Model();
        var (x, y) = ScriptedTraining.Data(32);
        x[TensorIndex.Slice(16, 24)] = tensor(float.NaN);   // batch 2 (0-based) of 8 samples
        int batches = 0;
        var count = new LambdaCallback(onBatchEnd: (_, _) => batches++);
        History? history = null;
        var output = Capture(() => history = model.Fit(x, y, batchSize: 8, epochs: 3, verbose: 0, shuffle: false, callbacks: [count, new TerminateOnNaN()]));
        Assert.Equal("Batch 2: Invalid loss, terminating training\n", output);
        Assert.Equal(3, batches);
        Assert.Equal([0], history!.Epochs);
        Assert.True(double.IsNaN(history["loss"][0]));
    }

    [Fact]
    public void TerminateOnNaN_lets_finite_training_run_every_epoch()
    {
        var model = ScriptedTraining.Model();
        var (x, y) = ScriptedTraining.Data(32);
        var history = model.Fit(x, y, batchSize: 8, epochs: 3, verbose: 0, callbacks: [new TerminateOnNaN()]);
        Assert.Equal([0, 1, 2], history.Epochs);
    }

    [Fact]
    public void LambdaCallback_epoch_end_sees_the_logs_History_records()
    {
        var model = ScriptedTraining.Model();
        var seen = new List<double>();
        var (history, _) = ScriptedTraining.Fit(model, 2, new LambdaCallback(onEpochEnd: (_, logs) => seen.Add(logs["loss"])));
        Assert.Equal(history["loss"], seen);
    }
}
