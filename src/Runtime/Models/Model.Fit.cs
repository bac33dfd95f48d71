using Layerwise.Callbacks;
using Layerwise.Training;
using static TorchSharp.torch;

namespace Layerwise.Models;

public abstract partial class Model
{
    /// <summary>
    /// Trains the model as Keras' <c>model.fit</c>. <paramref name="validationSplit"/> holds out the last
    /// fraction of the samples (before shuffling), as Keras does; <paramref name="validationData"/>
    /// takes precedence over it. <paramref name="verbose"/>: 0 silent, 1 progress bar, 2 one line per epoch.
    /// Epochs run from <paramref name="initialEpoch"/> to <paramref name="epochs"/> (exclusive), 0-based.
    /// <paramref name="sampleWeight"/> (one per sample) and <paramref name="classWeight"/> (class index to weight,
    /// multiplied into the sample weights) weight the loss as Keras' <c>sample_weight</c>/<c>class_weight</c>;
    /// metrics stay unweighted. A model output's mask (padded steps) weights its loss and metrics, as in Keras.
    /// <paramref name="validationSampleWeight"/> is Keras' third element of <c>validation_data</c>.
    /// </summary>
    public History Fit(Tensor x, Tensor y, int batchSize = 32, int epochs = 1, int verbose = 1,
                       IEnumerable<Callback>? callbacks = null, double validationSplit = 0,
                       (Tensor X, Tensor Y)? validationData = null, bool shuffle = true, int initialEpoch = 0,
                       Tensor? sampleWeight = null, IReadOnlyDictionary<int, double>? classWeight = null,
                       Tensor? validationSampleWeight = null)
    {
        RequireOptimizer();
        RequireObjective();
        CheckSingleInputAndOutput();
        (IReadOnlyList<Tensor>, IReadOnlyList<Tensor>)? validation = validationData is { } v ? ([v.X], [v.Y]) : null;
        return FitCore([x], [y], batchSize, epochs, verbose, callbacks, validationSplit, validation, shuffle, initialEpoch,
                       sampleWeight is null ? null : [sampleWeight], classWeight,
                       validationSampleWeight is null ? null : [validationSampleWeight]);
    }

    /// <summary>
    /// Keras' <c>fit([x1, x2], [y1, y2])</c> for a model with several inputs and/or outputs: one tensor per
    /// input (order of the model's inputs) and one target per output (order of <see cref="OutputNames"/>), all
    /// with the same number of samples; each batch takes the same samples from every one of them.
    /// <paramref name="sampleWeight"/>: one weight tensor (or null) per output, as Keras' list of sample weights;
    /// <paramref name="classWeight"/> only for a model with one output, as Keras.
    /// </summary>
    public History Fit(IReadOnlyList<Tensor> x, IReadOnlyList<Tensor> y, int batchSize = 32, int epochs = 1, int verbose = 1,
                       IEnumerable<Callback>? callbacks = null, double validationSplit = 0,
                       (IReadOnlyList<Tensor> X, IReadOnlyList<Tensor> Y)? validationData = null, bool shuffle = true, int initialEpoch = 0,
                       IReadOnlyList<Tensor?>? sampleWeight = null, IReadOnlyDictionary<int, double>? classWeight = null,
                       IReadOnlyList<Tensor?>? validationSampleWeight = null) =>
        FitCore(x, y, batchSize, epochs, verbose, callbacks, validationSplit, validationData, shuffle, initialEpoch,
                sampleWeight, classWeight, validationSampleWeight);

    History FitCore(IReadOnlyList<Tensor> x, IReadOnlyList<Tensor> y, int batchSize, int epochs, int verbose,
                    IEnumerable<Callback>? callbacks, double validationSplit,
                    (IReadOnlyList<Tensor> X, IReadOnlyList<Tensor> Y)? validationData, bool shuffle, int initialEpoch,
                    IReadOnlyList<Tensor?>? sampleWeight, IReadOnlyDictionary<int, double>? classWeight,
                    IReadOnlyList<Tensor?>? validationSampleWeight)
    {
        Backend.ApplyToCurrentThread();
        RequireOptimizer();
        var objective = RequireObjective();
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        if (batchSize <= 0) throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize, "batchSize must be positive.");
        if (epochs < 0 || initialEpoch < 0) throw new ArgumentOutOfRangeException(nameof(epochs), "epochs and initialEpoch must not be negative.");
        if (validationSplit is < 0 or >= 1) throw new ArgumentOutOfRangeException(nameof(validationSplit), validationSplit, "validationSplit must be in [0, 1).");

        if (validationSampleWeight is not null && validationData is null)
            throw new ArgumentException("validationSampleWeight needs validationData (the samples it weights).", nameof(validationSampleWeight));
        CheckCounts(x, y, nameof(x));
        var weights = PrepareWeights(sampleWeight, x[0].shape[0], nameof(sampleWeight));
        var validation = validationData;
        Tensor?[]? validationWeights = null;
        if (validation is null && validationSplit > 0)
        {
            long total = x[0].shape[0];
            long split = (long)(total * (1 - validationSplit));
            if (split <= 0 || split >= total)
                throw new ArgumentException($"validationSplit={validationSplit} leaves no training or no validation samples out of {total}.", nameof(validationSplit));
            validation = (Narrow(x, split, total - split), Narrow(y, split, total - split));
            x = Narrow(x, 0, split);
            y = Narrow(y, 0, split);
            // Keras splits the sample weights with the data; class weights apply to the training part only.
            validationWeights = weights?.Select(w => w?.narrow(0, split, total - split)).ToArray();
            weights = weights?.Select(w => w?.narrow(0, 0, split)).ToArray();
        }
        if (classWeight is not null) weights = WithClassWeights(weights, y, classWeight);

        var inputs = PrepareAll(x, y, nameof(x));
        var targets = y.Select(t => ToDevice(t, Device)!).ToArray();
        (Tensor[] X, Tensor[] Y)? validationOnDevice = null;
        if (validation is { } v)
        {
            validationOnDevice = (PrepareAll(v.X, v.Y, nameof(validationData)), v.Y.Select(t => ToDevice(t, Device)!).ToArray());
            if (validationData is not null)
                validationWeights = PrepareWeights(validationSampleWeight, v.X[0].shape[0], nameof(validationSampleWeight));
        }

        var slicer = new BatchSlicer(inputs, targets, batchSize, weights);
        var history = new History();
        var all = new CallbackList([.. callbacks ?? [], history, new ProgressLogger(verbose, epochs, slicer.Steps)]);
        all.Attach(this, new TrainingParameters(epochs, slicer.Steps, verbose));

        var trackers = new LossTrackers(objective);
        var trainable = TrainableWeights;
        StopTraining = false;
        FitHistory = history;
        all.TrainBegin(new Logs());
        // A callback restoring a backup (BackupAndRestore) says where training stopped.
        if (ResumeAtEpoch is { } resume) initialEpoch = Math.Max(initialEpoch, resume);
        ResumeAtEpoch = null;
        Logs epochLogs = new();
        // As Keras: StopTraining is read after each batch and after each epoch; a stopped epoch still ends
        // (validation, OnEpochEnd, History) with the logs of the batches that ran.
        for (int epoch = initialEpoch; epoch < epochs; epoch++)
        {
            trackers.Reset();
            objective.ResetMetrics();
            all.EpochBegin(epoch, new Logs());
            slicer.NewEpoch(shuffle);
            for (int step = 0; step < slicer.Steps; step++)
            {
                all.TrainBatchBegin(step, new Logs());
                using (NewDisposeScope())
                {
                    var (xb, yb) = slicer.Batch(step);
                    TrainStep(xb, yb!, slicer.Weights(step), trainable, objective, trackers);
                }
                all.TrainBatchEnd(step, objective.RunningLogs(trackers));
                if (StopTraining) break;
            }
            epochLogs = Snapshot(objective.RunningLogs(trackers));
            if (validationOnDevice is { } val)
            {
                foreach (var (key, value) in RunEvaluation(val.X, val.Y, validationWeights, batchSize, null))
                    epochLogs.Set("val_" + key, value);
            }
            all.EpochEnd(epoch, epochLogs);
            if (StopTraining) break;
        }
        all.TrainEnd(epochLogs);
        return history;
    }

    /// <summary>One optimisation step on a batch: forward, loss, backward, update, metrics.</summary>
    void TrainStep(Tensor[] x, Tensor[] y, Tensor?[]? sampleWeights, IReadOnlyList<Layers.Variable> trainable, TrainingObjective objective, LossTrackers trackers)
    {
        using var added = AddedLosses.Collect();
        var (predictions, masks) = CallAllWithMasks(x, training: true);
        var lossValue = objective.Compute(y, predictions, trackers, sampleWeights, added.Sum(), masks);
        // A convolution oneDNN gets wrong backwards (OneDnnGuard) was recorded: backward without oneDNN.
        using (OneDnnGuard.SuspendIf(OneDnnGuard.TakeUnsafeBackward())) lossValue.backward();
        Optimizer!.ApplyGradients(trainable);
        objective.UpdateMetrics(y, predictions, masks);
    }

    static Tensor[] Narrow(IReadOnlyList<Tensor> tensors, long start, long length) => [.. tensors.Select(t => t.narrow(0, start, length))];

    static Logs Snapshot(Logs lazy) => new(lazy.ToList());
}
