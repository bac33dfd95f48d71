using Layerwise.Callbacks;
using Layerwise.Training;
using Layerwise.Training.Metrics;
using static TorchSharp.torch;

namespace Layerwise.Models;

public abstract partial class Model
{
    /// <summary>
    /// Trains the model as Keras' <c>fit</c>. <paramref name="validationSplit"/> holds out the last
    /// fraction of the samples (before shuffling), as Keras does; <paramref name="validationData"/>
    /// takes precedence over it. <paramref name="verbose"/>: 0 silent, 1 progress bar, 2 one line per epoch.
    /// Epochs run from <paramref name="initialEpoch"/> to <paramref name="epochs"/> (exclusive), 0-based.
    /// </summary>
    public History Fit(Tensor x, Tensor y, int batchSize = 32, int epochs = 1, int verbose = 1,
                       IEnumerable<Callback>? callbacks = null, double validationSplit = 0,
                       (Tensor X, Tensor Y)? validationData = null, bool shuffle = true, int initialEpoch = 0)
    {
        var optimizer = RequireOptimizer();
        var loss = RequireLoss();
        if (batchSize <= 0) throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize, "batchSize must be positive.");
        if (epochs < 0 || initialEpoch < 0) throw new ArgumentOutOfRangeException(nameof(epochs), "epochs and initialEpoch must not be negative.");
        if (validationSplit is < 0 or >= 1) throw new ArgumentOutOfRangeException(nameof(validationSplit), validationSplit, "validationSplit must be in [0, 1).");

        (Tensor X, Tensor Y)? validation = validationData;
        if (validation is null && validationSplit > 0)
        {
            long total = x.shape[0];
            long split = (long)(total * (1 - validationSplit));
            if (split <= 0 || split >= total)
                throw new ArgumentException($"validationSplit={validationSplit} leaves no training or no validation samples out of {total}.", nameof(validationSplit));
            validation = (x.narrow(0, split, total - split), y.narrow(0, split, total - split));
            x = x.narrow(0, 0, split);
            y = y.narrow(0, 0, split);
        }

        var inputs = PrepareInputs(x, y, nameof(x));
        var targets = ToDevice(y, Device)!;
        (Tensor X, Tensor Y)? validationOnDevice = null;
        if (validation is { } v)
            validationOnDevice = (PrepareInputs(v.X, v.Y, nameof(validationData)), ToDevice(v.Y, Device)!);

        var slicer = new BatchSlicer(inputs, targets, batchSize);
        var history = new History();
        var all = new CallbackList([.. callbacks ?? [], history, new ProgressLogger(verbose, epochs, slicer.Steps)]);
        all.Attach(this, new TrainingParameters(epochs, slicer.Steps, verbose));

        var lossTracker = new Mean("loss");
        var trainable = TrainableWeights;
        StopTraining = false;
        FitHistory = history;
        all.TrainBegin(new Logs());
        // A callback restoring a backup (BackupAndRestore) says where training stopped.
        if (ResumeAtEpoch is { } resume) initialEpoch = Math.Max(initialEpoch, resume);
        ResumeAtEpoch = null;
        Logs epochLogs = new();
        for (int epoch = initialEpoch; epoch < epochs && !StopTraining; epoch++)
        {
            lossTracker.ResetState();
            foreach (var m in Metrics) m.ResetState();
            all.EpochBegin(epoch, new Logs());
            slicer.NewEpoch(shuffle);
            for (int step = 0; step < slicer.Steps; step++)
            {
                all.TrainBatchBegin(step, new Logs());
                using (NewDisposeScope())
                {
                    var (xb, yb) = slicer.Batch(step);
                    TrainStep(xb, yb!, trainable, lossTracker);
                }
                all.TrainBatchEnd(step, RunningLogs(lossTracker, prefix: ""));
            }
            epochLogs = Snapshot(RunningLogs(lossTracker, prefix: ""));
            if (validationOnDevice is { } val)
            {
                foreach (var (key, value) in RunEvaluation(val.X, val.Y, batchSize, null))
                    epochLogs.Set("val_" + key, value);
            }
            all.EpochEnd(epoch, epochLogs);
        }
        all.TrainEnd(epochLogs);
        return history;
    }

    /// <summary>One optimisation step on a batch: forward, loss, backward, update, metrics.</summary>
    void TrainStep(Tensor x, Tensor y, IReadOnlyList<Layers.Variable> trainable, Mean lossTracker)
    {
        var prediction = Call(x, training: true);
        var lossValue = Loss!.Call(y, prediction);
        lossValue.backward();
        Optimizer!.ApplyGradients(trainable);
        lossTracker.UpdateState(lossValue, x.shape[0]);
        foreach (var m in Metrics) m.UpdateState(y, prediction);
    }

    Logs RunningLogs(Mean lossTracker, string prefix)
    {
        var logs = new Logs();
        logs.Set(prefix + "loss", lossTracker.Result);
        foreach (var m in Metrics) logs.Set(prefix + m.Name, m.Result);
        return logs;
    }

    static Logs Snapshot(Logs lazy) => new(lazy.ToList());
}
