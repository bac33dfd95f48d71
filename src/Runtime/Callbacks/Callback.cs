using Layerwise.Models;
using Layerwise.Training;

namespace Layerwise.Callbacks;

/// <summary>
/// Hooks into <see cref="O:Layerwise.Models.Model.Fit"/>, <see cref="O:Layerwise.Models.Model.Evaluate"/> and <see cref="Model.Predict"/>,
/// as Keras' <c>keras.callbacks.Callback</c>: override the moments you need. Epochs and batches
/// are 0-based, as in Keras. Batch logs hold the running epoch averages; reading them syncs the device.
/// </summary>
public abstract class Callback
{
    /// <summary>The model being trained or evaluated; set before the first hook runs.</summary>
    public Model? Model { get; private set; }

    /// <summary>What the run was started with (epochs, steps, verbose).</summary>
    public TrainingParameters? Parameters { get; private set; }

    internal void Attach(Model model, TrainingParameters parameters)
    {
        Model = model;
        Parameters = parameters;
    }

    public virtual void OnTrainBegin(Logs logs) { }
    public virtual void OnTrainEnd(Logs logs) { }
    public virtual void OnEpochBegin(int epoch, Logs logs) { }
    public virtual void OnEpochEnd(int epoch, Logs logs) { }
    public virtual void OnTrainBatchBegin(int batch, Logs logs) { }
    public virtual void OnTrainBatchEnd(int batch, Logs logs) { }
    public virtual void OnTestBegin(Logs logs) { }
    public virtual void OnTestEnd(Logs logs) { }
    public virtual void OnTestBatchBegin(int batch, Logs logs) { }
    public virtual void OnTestBatchEnd(int batch, Logs logs) { }
    public virtual void OnPredictBegin(Logs logs) { }
    public virtual void OnPredictEnd(Logs logs) { }
    public virtual void OnPredictBatchBegin(int batch, Logs logs) { }
    public virtual void OnPredictBatchEnd(int batch, Logs logs) { }
}

/// <summary>What a fit, evaluate or predict run was started with (Keras' <c>callback.params</c>).</summary>
public sealed record TrainingParameters(int Epochs, int Steps, int Verbose);
