using Layerwise.Training.Losses;
using Layerwise.Training.Metrics;
using static TorchSharp.torch;

namespace Layerwise.Training;

/// <summary>What one model output is trained and measured with: its loss (none: the output is not trained against), weight and metrics.</summary>
internal sealed record OutputObjective(string OutputName, Loss? Loss, double? Weight, IReadOnlyList<Metric> Metrics);

/// <summary>
/// The compiled losses and metrics of a model, one entry per output, as tf.keras 2's
/// <c>LossesContainer</c>/<c>MetricsContainer</c>: the total loss is the sum of each output's loss times its
/// weight (no multiplication where no weight was given, so a single-output model computes exactly its loss).
/// </summary>
internal sealed class TrainingObjective(IReadOnlyList<OutputObjective> outputs)
{
    public IReadOnlyList<OutputObjective> Outputs { get; } = outputs;

    /// <summary>Keras logs per-output losses only when there are several outputs.</summary>
    public bool LogsPerOutputLoss => Outputs.Count > 1;

    /// <summary>Every metric, output by output, in the order logs list them.</summary>
    public IEnumerable<Metric> AllMetrics => Outputs.SelectMany(o => o.Metrics);

    /// <summary>
    /// The differentiable total loss of a batch; adds the batch to <paramref name="trackers"/>.
    /// <paramref name="sampleWeights"/>: per output, that output's weight of each sample (null: unweighted).
    /// The trackers still count samples, not weights, as Keras' loss metric (<c>sample_weight=batch_dim</c>).
    /// <paramref name="addedLoss"/>: the layers' added losses (<see cref="AddedLosses"/>), part of the total as in Keras.
    /// <paramref name="masks"/>: per output, the model output's mask (null: none), applied as tf.keras 2's
    /// <c>LossesContainer</c> applies <c>y_pred._keras_mask</c> (see <see cref="Loss.Call(Tensor, Tensor, Tensor?, Tensor?)"/>).
    /// </summary>
    public Tensor Compute(IReadOnlyList<Tensor> targets, IReadOnlyList<Tensor> predictions, LossTrackers trackers,
                          IReadOnlyList<Tensor?>? sampleWeights = null, Tensor? addedLoss = null, IReadOnlyList<Tensor?>? masks = null)
    {
        long batch = predictions[0].shape[0];
        Tensor? total = null;
        for (int i = 0; i < Outputs.Count; i++)
        {
            var output = Outputs[i];
            if (output.Loss is null) continue;
            var value = output.Loss.Call(targets[i], predictions[i], sampleWeights?[i], masks?[i]);
            trackers.PerOutput[i]?.UpdateState(value, batch);   // unweighted, as Keras' per-output loss metrics
            var weighted = output.Weight is { } w ? value.mul(w) : value;
            total = total is null ? weighted : total.add(weighted);
        }
        if (addedLoss is not null) total = total is null ? addedLoss : total.add(addedLoss);
        trackers.Total.UpdateState(total!, batch);
        return total!;
    }

    /// <summary>
    /// Metrics ignore sample weights: Keras 2 applies them only to <c>weighted_metrics</c>, which Layerwise does not have.
    /// They take each output's mask (<paramref name="masks"/>, null: none), as tf.keras 2's <c>MetricsContainer</c>
    /// passes <c>sample_weight=mask</c> to every metric.
    /// </summary>
    public void UpdateMetrics(IReadOnlyList<Tensor> targets, IReadOnlyList<Tensor> predictions, IReadOnlyList<Tensor?>? masks = null)
    {
        for (int i = 0; i < Outputs.Count; i++)
        {
            var mask = masks?[i];
            foreach (var m in Outputs[i].Metrics)
            {
                if (mask is null) m.UpdateState(targets[i], predictions[i]);
                else m.UpdateState(targets[i], predictions[i], mask);
            }
        }
    }

    public void ResetMetrics()
    {
        foreach (var m in AllMetrics) m.ResetState();
    }

    /// <summary>Logs read lazily from the trackers and metrics: <c>loss</c>, <c>&lt;output&gt;_loss</c>..., then the metrics.</summary>
    public Logs RunningLogs(LossTrackers trackers)
    {
        var logs = new Logs();
        logs.Set("loss", trackers.Total.Result);
        foreach (var tracker in trackers.PerOutput)
            if (tracker is not null) logs.Set(tracker.Name, tracker.Result);
        foreach (var m in AllMetrics) logs.Set(m.Name, m.Result);
        return logs;
    }
}

/// <summary>The running means of one loop (training or evaluation), kept apart so validation inside fit does not disturb training's.</summary>
internal sealed class LossTrackers
{
    public LossTrackers(TrainingObjective objective)
    {
        PerOutput = [.. objective.Outputs.Select(o => objective.LogsPerOutputLoss && o.Loss is not null ? new Mean(o.OutputName + "_loss") : null)];
    }

    public Mean Total { get; } = new("loss");

    public IReadOnlyList<Mean?> PerOutput { get; }

    public void Reset()
    {
        Total.ResetState();
        foreach (var m in PerOutput) m?.ResetState();
    }
}
