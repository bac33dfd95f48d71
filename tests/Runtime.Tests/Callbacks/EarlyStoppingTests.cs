using Layerwise.Callbacks;
using static Layerwise.Tests.Callbacks.ScriptedTraining;

namespace Layerwise.Tests.Callbacks;

/// <summary>Keras' EarlyStopping semantics on scripted monitor values (keras/callbacks.py, tf-keras 2.15).</summary>
public class EarlyStoppingTests
{
    [Fact]
    public void Keras_docstring_example_patience_3_on_a_loss_that_never_improves_runs_4_epochs()
    {
        // Keras: EarlyStopping(monitor='loss', patience=3) ... len(history.history['loss']) == 4 ("Only 4 epochs are run").
        var (history, output) = Fit(Model(), 10, Script("loss", 1, 2, 3, 4, 5, 6, 7, 8, 9, 10),
                                    new EarlyStopping(monitor: "loss", patience: 3, verbose: 1));
        Assert.Equal(4, history["loss"].Count);
        Assert.Equal([0, 1, 2, 3], history.Epochs);
        Assert.Equal("Epoch 4: early stopping\n", output);
    }

    [Fact]
    public void An_improvement_restarts_the_wait()
    {
        // best 1.0 (epoch 0), 0.9 (epoch 1); then three epochs without beating 0.9: stops at epoch 4.
        var stopping = new EarlyStopping(monitor: "loss", patience: 3);
        var (history, _) = Fit(Model(), 10, Script("loss", 1.0, 0.9, 0.95, 0.92, 0.91, 0.1, 0.1, 0.1, 0.1, 0.1), stopping);
        Assert.Equal(5, history.Epochs.Count);
        Assert.Equal(4, stopping.StoppedEpoch);
        Assert.Equal(0.9, stopping.Best);
        Assert.Equal(1, stopping.BestEpoch);
    }

    [Fact]
    public void Changes_smaller_than_min_delta_are_not_improvements()
    {
        // 0.75 is 0.25 better than 1.0: not more than min_delta 0.5, so no improvement; patience 2 stops at epoch 2.
        var (strict, _) = Fit(Model(), 6, Script("loss", 1.0, 0.75, 0.5, 0.25, 0.125, 0.0), new EarlyStopping(monitor: "loss", minDelta: -0.5, patience: 2));
        Assert.Equal(3, strict.Epochs.Count);
        var (loose, _) = Fit(Model(), 6, Script("loss", 1.0, 0.75, 0.5, 0.25, 0.125, 0.0), new EarlyStopping(monitor: "loss", minDelta: 0.125, patience: 2));
        Assert.Equal(6, loose.Epochs.Count);
    }

    [Fact]
    public void Auto_mode_maximises_accuracy_keys_and_minimises_the_rest()
    {
        Assert.Equal("max", new EarlyStopping(monitor: "val_accuracy").Mode);
        Assert.Equal("max", new EarlyStopping(monitor: "auc").Mode);
        Assert.Equal("max", new EarlyStopping(monitor: "val_acc").Mode);
        Assert.Equal("min", new EarlyStopping(monitor: "val_loss").Mode);
        Assert.Equal("min", new EarlyStopping(monitor: "accuracy", mode: "min").Mode);
        // A rising accuracy is progress: 0.5, 0.6, then two epochs at 0.6 stop it with patience 2 at epoch 3.
        var (history, _) = Fit(Model(), 8, Script("accuracy", 0.5, 0.6, 0.6, 0.6, 0.9, 0.9, 0.9, 0.9), new EarlyStopping(monitor: "accuracy", patience: 2));
        Assert.Equal(4, history.Epochs.Count);
        Assert.Throws<ArgumentException>(() => new EarlyStopping(mode: "maximum"));
    }

    [Fact]
    public void A_baseline_not_beaten_keeps_the_wait_counting()
    {
        // Keras: the wait restarts only on epochs that beat both the best value and the baseline.
        double[] losses = [0.9, 0.95, 0.95, 0.95, 0.95, 0.95];
        var (withBaseline, _) = Fit(Model(), 6, Script("loss", losses), new EarlyStopping(monitor: "loss", patience: 2, baseline: 0.5));
        Assert.Equal(2, withBaseline.Epochs.Count);
        var (without, _) = Fit(Model(), 6, Script("loss", losses), new EarlyStopping(monitor: "loss", patience: 2));
        Assert.Equal(3, without.Epochs.Count);
    }

    [Fact]
    public void Epochs_before_start_from_epoch_are_not_monitored()
    {
        // Epochs 0 and 1 are warm-up; epoch 2 sets the best, epoch 3 does not beat it: patience 1 stops there.
        var (history, _) = Fit(Model(), 8, Script("loss", 1, 2, 3, 4, 5, 6, 7, 8), new EarlyStopping(monitor: "loss", patience: 1, startFromEpoch: 2));
        Assert.Equal(4, history.Epochs.Count);
    }

    [Fact]
    public void A_missing_monitor_warns_as_Keras_and_never_stops()
    {
        var (history, output) = Fit(Model(), 3, new EarlyStopping(patience: 0));
        Assert.Equal(3, history.Epochs.Count);
        Assert.Contains("Early stopping conditioned on metric `val_loss` which is not available. Available metrics are: loss", output);
    }

    [Fact]
    public void Restore_best_weights_puts_back_the_weights_of_the_best_epoch()
    {
        var model = Model(learningRate: 0.1);
        var perEpoch = new List<float[][]>();
        var record = new LambdaCallback(onEpochEnd: (_, _) => perEpoch.Add(TutorialModel.WeightValues(model)));
        // Best at epoch 1; epochs 2 and 3 do not beat it: patience 2 stops at epoch 3.
        var (history, output) = Fit(model, 10, record, Script("loss", 3, 1, 2, 4, 5, 6, 7, 8, 9, 10),
                                    new EarlyStopping(monitor: "loss", patience: 2, verbose: 1, restoreBestWeights: true));
        Assert.Equal(4, history.Epochs.Count);
        Assert.NotEqual(perEpoch[1], perEpoch[3]);   // training moved the weights after the best epoch
        Assert.Equal(perEpoch[1], TutorialModel.WeightValues(model));
        Assert.Equal("Epoch 4: early stopping\nRestoring model weights from the end of the best epoch: 2.\n", output);
    }

    [Fact]
    public void Restore_best_weights_also_applies_when_training_runs_to_the_end()
    {
        var model = Model(learningRate: 0.1);
        var perEpoch = new List<float[][]>();
        var record = new LambdaCallback(onEpochEnd: (_, _) => perEpoch.Add(TutorialModel.WeightValues(model)));
        Fit(model, 4, record, Script("loss", 3, 2, 1, 1.5), new EarlyStopping(monitor: "loss", patience: 5, restoreBestWeights: true));
        Assert.Equal(perEpoch[2], TutorialModel.WeightValues(model));
    }
}
