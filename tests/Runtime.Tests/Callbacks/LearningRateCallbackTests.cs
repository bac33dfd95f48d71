using Layerwise.Callbacks;
using static Layerwise.Tests.Callbacks.ScriptedTraining;

namespace Layerwise.Tests.Callbacks;

/// <summary>
/// ReduceLROnPlateau and LearningRateScheduler as in Keras 2 (tf-keras 2.15): the learning rate is a float32
/// variable, messages print the Python value Keras computes (0.001 × 0.2 = 0.00020000000949949026, the
/// line Keras users know), and <c>logs["lr"]</c> holds the float32 as NumPy prints it.
/// Expected numbers: Python's float arithmetic on float32 values (struct.pack('f')), computed outside this code.
/// </summary>
public class LearningRateCallbackTests
{
    [Fact]
    public void ReduceLROnPlateau_reduces_after_patience_waits_out_the_cooldown_and_stops_at_min_lr()
    {
        // Keras' algorithm by hand, loss flat at 1.0, patience 2, cooldown 1, factor 0.2, min_lr 1e-5:
        // epoch 0 sets the best; 1: wait 1; 2: wait 2 -> reduce, cooldown 1; 3: cooldown ends, wait 1;
        // 4: wait 2 -> reduce; 5: wait 1; 6: wait 2 -> reduce, clipped to min_lr.
        var model = Model(learningRate: 0.001);
        var reduce = new ReduceLROnPlateau(monitor: "loss", factor: 0.2, patience: 2, verbose: 1, cooldown: 1, minLr: 1e-5);
        var (history, output) = Fit(model, 7, Script("loss", 1, 1, 1, 1, 1, 1, 1), reduce);

        // logs["lr"] is the rate the epoch ran with, written before the reduction (Keras order).
        // The float32 variable holds float32(0.00020000000949949026), which NumPy prints 0.00020000001.
        Assert.Equal([0.001, 0.001, 0.001, 0.00020000001, 0.00020000001, 4.0000003e-05, 4.0000003e-05], history["lr"]);
        Assert.Equal(1e-05, model.Optimizer!.LearningRate);
        Assert.Equal(
            "\nEpoch 3: ReduceLROnPlateau reducing learning rate to 0.00020000000949949026.\n" +
            "\nEpoch 5: ReduceLROnPlateau reducing learning rate to 4.0000001899898055e-05.\n" +
            "\nEpoch 7: ReduceLROnPlateau reducing learning rate to 1e-05.\n", output);
    }

    [Fact]
    public void ReduceLROnPlateau_counts_only_improvements_larger_than_min_delta_and_never_goes_below_min_lr()
    {
        var model = Model(learningRate: 0.5);
        // min_delta 0.25: 0.875 and 0.75 are not improvements on 1.0; patience 2 reduces at epoch 2.
        var reduce = new ReduceLROnPlateau(monitor: "loss", factor: 0.5, patience: 2, minDelta: 0.25, minLr: 0.25);
        var (history, _) = Fit(model, 6, Script("loss", 1.0, 0.875, 0.75, 0.125, 0.125, 0.125), reduce);
        Assert.Equal([0.5, 0.5, 0.5, 0.25, 0.25, 0.25], history["lr"]);   // at min_lr no further reduction
        Assert.Equal(0.25, model.Optimizer!.LearningRate);
    }

    [Fact]
    public void ReduceLROnPlateau_refuses_a_factor_of_one_or_more_as_Keras()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new ReduceLROnPlateau(factor: 1.0));
        Assert.Contains("ReduceLROnPlateau does not support a factor >= 1.0. Got 1.0", e.Message);
        Assert.Equal("max", new ReduceLROnPlateau(monitor: "val_acc").Mode);
        Assert.Equal("min", new ReduceLROnPlateau().Mode);
    }

    [Fact]
    public void LearningRateScheduler_reproduces_Keras_docstring_example()
    {
        // Keras: SGD (lr 0.01), schedule keeps lr for 10 epochs then multiplies by exp(-0.1); after 15 epochs
        // round(model.optimizer.lr.numpy(), 5) == 0.00607.
        var model = Model(learningRate: 0.01);
        var scheduler = new LearningRateScheduler((epoch, lr) => epoch < 10 ? lr : lr * Math.Exp(-0.1));
        var (history, _) = Fit(model, 15, scheduler);
        Assert.Equal(0.00607, Math.Round(model.Optimizer!.LearningRate, 5));
        Assert.Equal(0.01, history["lr"][0]);
        Assert.Equal(15, history["lr"].Count);
    }

    [Fact]
    public void LearningRateScheduler_prints_Keras_line_with_the_float32_rate_it_was_given()
    {
        var model = Model(learningRate: 0.01);
        var (_, output) = Fit(model, 2, new LearningRateScheduler((epoch, lr) => epoch == 0 ? lr : 0.5, verbose: 1));
        // float(np.float32(0.01)) is 0.009999999776482582 in Python.
        Assert.Equal("\nEpoch 1: LearningRateScheduler setting learning rate to 0.009999999776482582.\n" +
                     "\nEpoch 2: LearningRateScheduler setting learning rate to 0.5.\n", output);
        Assert.Equal(0.5, model.Optimizer!.LearningRate);
    }

    [Fact]
    public void LearningRateScheduler_epoch_only_schedule_and_a_bad_rate_is_a_typed_error()
    {
        var model = Model(learningRate: 0.01);
        var (history, _) = Fit(model, 3, new LearningRateScheduler(epoch => 0.5 / (epoch + 1)));
        Assert.Equal([0.5, 0.25, 0.16666667], history["lr"].Select(v => Math.Round(v, 8)));
        var e = Assert.Throws<LayerwiseException>(() => Fit(model, 1, new LearningRateScheduler(epoch => double.NaN)));
        Assert.Contains("returned nan for epoch 0", e.Message);
    }
}
