using TorchSharp;
using Layerwise.Callbacks;
using Layerwise.Training;
using static TorchSharp.torch;

namespace Layerwise.Models;

public abstract partial class Model
{
    /// <summary>
    /// Loss and metrics on (x, y), as Keras' <c>evaluate</c>: <c>var (loss, acc) = model.Evaluate(x, y)</c>.
    /// <paramref name="verbose"/> 1 shows a progress bar, 2 one line (<c>32/32 - 0s - loss: ...</c>).
    /// <paramref name="sampleWeight"/> weights each sample's loss as Keras' <c>sample_weight</c> (metrics stay unweighted).
    /// A model output's mask (padded steps) leaves masked positions out of the loss and metrics, as in Keras.
    /// </summary>
    public Logs Evaluate(Tensor x, Tensor y, int batchSize = 32, int verbose = 1, IEnumerable<Callback>? callbacks = null,
                         Tensor? sampleWeight = null)
    {
        RequireObjective();
        CheckSingleInputAndOutput();
        return EvaluateCore([x], [y], batchSize, verbose, callbacks, sampleWeight is null ? null : [sampleWeight]);
    }

    /// <summary>
    /// Keras' <c>evaluate([x1, x2], [y1, y2])</c>: one tensor per input and one target per output. The logs hold
    /// <c>loss</c> (the weighted total), <c>&lt;output&gt;_loss</c> per output and <c>&lt;output&gt;_&lt;metric&gt;</c>.
    /// </summary>
    public Logs Evaluate(IReadOnlyList<Tensor> x, IReadOnlyList<Tensor> y, int batchSize = 32, int verbose = 1, IEnumerable<Callback>? callbacks = null,
                         IReadOnlyList<Tensor?>? sampleWeight = null)
    {
        RequireObjective();
        ArgumentNullException.ThrowIfNull(y);
        return EvaluateCore(x, y, batchSize, verbose, callbacks, sampleWeight);
    }

    Logs EvaluateCore(IReadOnlyList<Tensor> x, IReadOnlyList<Tensor> y, int batchSize, int verbose, IEnumerable<Callback>? callbacks,
                      IReadOnlyList<Tensor?>? sampleWeight)
    {
        Backend.ApplyToCurrentThread();
        if (batchSize <= 0) throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize, "batchSize must be positive.");
        var inputs = PrepareAll(x, y, nameof(x));
        var weights = PrepareWeights(sampleWeight, inputs[0].shape[0], nameof(sampleWeight));
        var targets = y.Select(t => ToDevice(t, Device)!).ToArray();
        int steps = (int)((inputs[0].shape[0] + batchSize - 1) / batchSize);
        var list = new CallbackList([.. callbacks ?? []]);
        list.Attach(this, new TrainingParameters(1, steps, verbose));
        var bar = new ProgressBar(steps, verbose, Output.Writer, Output.IsInteractive);
        return RunEvaluation(inputs, targets, weights, batchSize, list, bar);
    }

    /// <summary>Evaluates already-prepared tensors; used by <see cref="Evaluate(Tensor, Tensor, int, int, IEnumerable{Callback}?, Tensor?)"/> and for validation during fit.</summary>
    Logs RunEvaluation(Tensor[] inputs, Tensor[] targets, Tensor?[]? weights, int batchSize, CallbackList? callbacks, ProgressBar? bar = null)
    {
        var objective = Objective!;
        var trackers = new LossTrackers(objective);
        objective.ResetMetrics();
        var slicer = new BatchSlicer(inputs, targets, batchSize, weights);
        callbacks?.TestBegin(new Logs());
        using (no_grad())
        {
            for (int step = 0; step < slicer.Steps; step++)
            {
                callbacks?.TestBatchBegin(step, new Logs());
                using (NewDisposeScope())
                {
                    var (xb, yb) = slicer.Batch(step);
                    using var added = AddedLosses.Collect();
                    var (predictions, masks) = CallAllWithMasks(xb, training: false);
                    objective.Compute(yb!, predictions, trackers, slicer.Weights(step), added.Sum(), masks);
                    objective.UpdateMetrics(yb!, predictions, masks);
                }
                var running = objective.RunningLogs(trackers);
                callbacks?.TestBatchEnd(step, running);
                bar?.Update(step + 1, running);
            }
        }
        var logs = Snapshot(objective.RunningLogs(trackers));
        trackers.Reset();
        objective.ResetMetrics();
        callbacks?.TestEnd(logs);
        return logs;
    }

    /// <summary>
    /// The model's outputs for <paramref name="x"/>, in inference mode (dropout off), as one CPU
    /// tensor, like Keras' <c>predict</c> returning a NumPy array. The tensor is new and the caller's: dispose it
    /// (or create it in a dispose scope) when done; <c>.KerasShape()</c> prints its shape as Keras does, <c>(1000, 10)</c>.
    /// </summary>
    public Tensor Predict(Tensor x, int batchSize = 32, int verbose = 0, IEnumerable<Callback>? callbacks = null)
    {
        if (batchSize <= 0) throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize, "batchSize must be positive.");
        Backend.ApplyToCurrentThread();
        var inputs = PrepareInputs(x, null, nameof(x));
        if (inputs.size(0) <= batchSize && verbose == 0 && callbacks is null) return PredictOneBatch(inputs);
        var slicer = new BatchSlicer([inputs], null, batchSize);
        var list = new CallbackList([.. callbacks ?? []]);
        list.Attach(this, new TrainingParameters(1, slicer.Steps, verbose));
        var bar = new ProgressBar(slicer.Steps, verbose, Output.Writer, Output.IsInteractive);
        var outputs = new List<Tensor>(slicer.Steps);
        list.PredictBegin(new Logs());
        using (no_grad())
        {
            for (int step = 0; step < slicer.Steps; step++)
            {
                list.PredictBatchBegin(step, new Logs());
                using (var scope = NewDisposeScope())
                {
                    var (xb, _) = slicer.Batch(step);
                    outputs.Add(scope.MoveToOuter(Call(xb[0], training: false).cpu()));
                }
                list.PredictBatchEnd(step, new Logs());
                bar.Update(step + 1, new Logs());
            }
        }
        list.PredictEnd(new Logs());
        var result = cat(outputs, 0);
        foreach (var o in outputs) o.Dispose();
        return result;
    }

    /// <summary>
    /// <see cref="Predict"/> of inputs that fit in one batch, with nothing to report (no callbacks, no progress
    /// bar): the same call and result, without slicing, callback and log objects.
    /// </summary>
    Tensor PredictOneBatch(Tensor inputs)
    {
        using (no_grad())
        using (var scope = NewDisposeScope())
        {
            // As the batched path returns it: the output on the CPU, as a tensor of its own. One this call created
            // (in this scope) is that already; one it did not (a model returning its input, a tensor a layer keeps)
            // is aliased, as the batched path's cat of one part is.
            var output = Call(inputs, training: false);
            if (output.device_type != DeviceType.CPU) return scope.MoveToOuter(output.cpu());
            return scope.MoveToOuter(scope.Contains(output) ? output : output.alias());
        }
    }
}
