using Layerwise.Models;
using Layerwise.Training;

namespace Layerwise.Callbacks;

/// <summary>Calls every callback of a run, in the order given.</summary>
internal sealed class CallbackList(IReadOnlyList<Callback> callbacks)
{
    public IReadOnlyList<Callback> Items => callbacks;

    public void Attach(Model model, TrainingParameters parameters)
    {
        foreach (var c in callbacks) c.Attach(model, parameters);
    }

    public void TrainBegin(Logs logs) { foreach (var c in callbacks) c.OnTrainBegin(logs); }
    public void TrainEnd(Logs logs) { foreach (var c in callbacks) c.OnTrainEnd(logs); }
    public void EpochBegin(int epoch, Logs logs) { foreach (var c in callbacks) c.OnEpochBegin(epoch, logs); }
    public void EpochEnd(int epoch, Logs logs) { foreach (var c in callbacks) c.OnEpochEnd(epoch, logs); }
    public void TrainBatchBegin(int batch, Logs logs) { foreach (var c in callbacks) c.OnTrainBatchBegin(batch, logs); }
    public void TrainBatchEnd(int batch, Logs logs) { foreach (var c in callbacks) c.OnTrainBatchEnd(batch, logs); }
    public void TestBegin(Logs logs) { foreach (var c in callbacks) c.OnTestBegin(logs); }
    public void TestEnd(Logs logs) { foreach (var c in callbacks) c.OnTestEnd(logs); }
    public void TestBatchBegin(int batch, Logs logs) { foreach (var c in callbacks) c.OnTestBatchBegin(batch, logs); }
    public void TestBatchEnd(int batch, Logs logs) { foreach (var c in callbacks) c.OnTestBatchEnd(batch, logs); }
    public void PredictBegin(Logs logs) { foreach (var c in callbacks) c.OnPredictBegin(logs); }
    public void PredictEnd(Logs logs) { foreach (var c in callbacks) c.OnPredictEnd(logs); }
    public void PredictBatchBegin(int batch, Logs logs) { foreach (var c in callbacks) c.OnPredictBatchBegin(batch, logs); }
    public void PredictBatchEnd(int batch, Logs logs) { foreach (var c in callbacks) c.OnPredictBatchEnd(batch, logs); }
}
