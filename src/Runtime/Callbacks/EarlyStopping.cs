using Layerwise.Training;
using static TorchSharp.torch;

namespace Layerwise.Callbacks;

/// <summary>
/// Keras' <c>EarlyStopping</c>: stops <see cref="O:Layerwise.Models.Model.Fit"/> when a monitored log value
/// has stopped improving. At the end of each epoch the value is compared with the best so far; after
/// <see cref="Patience"/> epochs without an improvement of more than <see cref="MinDelta"/>, it sets
/// <see cref="Models.Model.StopTraining"/>. With <see cref="RestoreBestWeights"/> the weights of the best
/// epoch are put back when training ends. Keras' example: <c>new EarlyStopping(monitor: "loss", patience: 3)</c>
/// on a loss that never improves after the first epoch runs 4 epochs.
/// </summary>
public sealed class EarlyStopping : Callback
{
    readonly Func<double, double, bool> better;
    Tensor[]? bestWeights;

    /// <param name="monitor">The log key to watch (Keras' <c>monitor</c>).</param>
    /// <param name="minDelta">The smallest change that counts as an improvement (its absolute value is used, as Keras does).</param>
    /// <param name="patience">Epochs without improvement after which training stops.</param>
    /// <param name="verbose">1 prints <c>Epoch N: early stopping</c> and the restoring message.</param>
    /// <param name="mode"><c>auto</c>, <c>min</c> or <c>max</c>; auto means max for keys ending in <c>acc</c>, <c>accuracy</c> or <c>auc</c>.</param>
    /// <param name="baseline">A value to beat: waiting restarts only on epochs that improve on both the best value and this.</param>
    /// <param name="restoreBestWeights">When training ends, set the weights of the best epoch (also when it stopped for another reason).</param>
    /// <param name="startFromEpoch">Epochs of warm-up (0-based epochs below this are not monitored).</param>
    public EarlyStopping(string monitor = "val_loss", double minDelta = 0, int patience = 0, int verbose = 0, string mode = "auto",
                         double? baseline = null, bool restoreBestWeights = false, int startFromEpoch = 0)
    {
        ArgumentException.ThrowIfNullOrEmpty(monitor);
        if (patience < 0) throw new ArgumentOutOfRangeException(nameof(patience), patience, "EarlyStopping patience must not be negative.");
        if (startFromEpoch < 0) throw new ArgumentOutOfRangeException(nameof(startFromEpoch), startFromEpoch, "EarlyStopping startFromEpoch must not be negative.");
        if (double.IsNaN(minDelta)) throw new ArgumentOutOfRangeException(nameof(minDelta), minDelta, "EarlyStopping minDelta must be a number.");
        Monitor = monitor;
        MinDelta = Math.Abs(minDelta);
        Patience = patience;
        Verbose = verbose;
        Baseline = baseline;
        RestoreBestWeights = restoreBestWeights;
        StartFromEpoch = startFromEpoch;
        Mode = mode switch
        {
            "min" or "max" => mode,
            "auto" => monitor.EndsWith("acc", StringComparison.Ordinal) || monitor.EndsWith("accuracy", StringComparison.Ordinal)
                      || monitor.EndsWith("auc", StringComparison.Ordinal) ? "max" : "min",
            _ => throw new ArgumentException($"EarlyStopping mode \"{mode}\" is unknown; expected \"auto\", \"min\" or \"max\".", nameof(mode)),
        };
        // Keras: monitor_op(current - min_delta, reference), min_delta negated in min mode.
        better = Mode == "max"
            ? (current, reference) => current - MinDelta > reference
            : (current, reference) => current + MinDelta < reference;
    }

    /// <summary>The log key watched.</summary>
    public string Monitor { get; }

    /// <summary>The smallest change that counts as an improvement (non-negative).</summary>
    public double MinDelta { get; }

    /// <summary>Epochs without improvement after which training stops.</summary>
    public int Patience { get; }

    /// <summary>0 silent, 1 prints when it stops and when it restores weights.</summary>
    public int Verbose { get; }

    /// <summary><c>min</c> or <c>max</c> once <c>auto</c> is resolved.</summary>
    public string Mode { get; }

    /// <summary>The value that must be beaten to reset the wait; null for none.</summary>
    public double? Baseline { get; }

    /// <summary>Whether the best epoch's weights are set when training ends.</summary>
    public bool RestoreBestWeights { get; }

    /// <summary>The first 0-based epoch that is monitored.</summary>
    public int StartFromEpoch { get; }

    /// <summary>Epochs since the last improvement (Keras' <c>wait</c>).</summary>
    public int Wait { get; private set; }

    /// <summary>The 0-based epoch at which training was stopped; 0 when it was not (Keras' <c>stopped_epoch</c>).</summary>
    public int StoppedEpoch { get; private set; }

    /// <summary>The best monitored value so far (±infinity before the first).</summary>
    public double Best { get; private set; }

    /// <summary>The 0-based epoch of <see cref="Best"/>.</summary>
    public int BestEpoch { get; private set; }

    /// <inheritdoc/>
    public override void OnTrainBegin(Logs logs)
    {
        // Keras resets here so that one instance can serve several fits.
        Wait = 0;
        StoppedEpoch = 0;
        Best = Mode == "max" ? double.NegativeInfinity : double.PositiveInfinity;
        BestEpoch = 0;
        DropBestWeights();
    }

    /// <inheritdoc/>
    public override void OnEpochEnd(int epoch, Logs logs)
    {
        if (!logs.TryGetValue(Monitor, out var current))
        {
            Output.Writer.WriteLine($"WARNING: Early stopping conditioned on metric `{Monitor}` which is not available. Available metrics are: {string.Join(",", logs.Keys)}");
            return;
        }
        if (epoch < StartFromEpoch) return;
        if (RestoreBestWeights && bestWeights is null)
        {
            // Restore the weights after the first monitored epoch if no progress is ever made.
            bestWeights = CopyWeights();
            BestEpoch = epoch;
        }
        Wait++;
        if (better(current, Best))
        {
            Best = current;
            BestEpoch = epoch;
            if (RestoreBestWeights)
            {
                DropBestWeights();
                bestWeights = CopyWeights();
            }
            // Only restart waiting when the value beats both the best so far and the baseline.
            if (Baseline is not { } baseline || better(current, baseline)) Wait = 0;
            return;
        }
        if (Wait >= Patience && epoch > 0)
        {
            StoppedEpoch = epoch;
            Model!.StopTraining = true;
        }
    }

    /// <inheritdoc/>
    public override void OnTrainEnd(Logs logs)
    {
        if (StoppedEpoch > 0 && Verbose > 0) Output.Writer.WriteLine($"Epoch {StoppedEpoch + 1}: early stopping");
        if (RestoreBestWeights && bestWeights is not null)
        {
            if (Verbose > 0) Output.Writer.WriteLine($"Restoring model weights from the end of the best epoch: {BestEpoch + 1}.");
            var weights = Model!.Weights;
            for (int i = 0; i < weights.Count; i++) weights[i].Assign(bestWeights[i]);
            DropBestWeights();
        }
    }

    /// <summary>Keras' <c>model.get_weights()</c>: CPU copies, so the device's memory is not held twice.</summary>
    Tensor[] CopyWeights() => [.. Model!.Weights.Select(w => w.ToCpu())];

    void DropBestWeights()
    {
        if (bestWeights is null) return;
        foreach (var t in bestWeights) t.Dispose();
        bestWeights = null;
    }
}
