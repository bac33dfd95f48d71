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

    /// <summary>Called once when <c>Fit</c> starts (Keras' <c>on_train_begin</c>).</summary>
    /// <param name="logs">The values reported so far (see <see cref="Logs"/>); may be empty.</param>
    public virtual void OnTrainBegin(Logs logs) { }
    /// <summary>Called once when <c>Fit</c> ends, with the last epoch's logs (Keras' <c>on_train_end</c>).</summary>
    /// <param name="logs">The values reported so far (see <see cref="Logs"/>); may be empty.</param>
    public virtual void OnTrainEnd(Logs logs) { }
    /// <summary>Called at the start of every epoch (Keras' <c>on_epoch_begin</c>).</summary>
    /// <param name="epoch">The 0-based epoch.</param>
    /// <param name="logs">The values reported so far (see <see cref="Logs"/>); may be empty.</param>
    public virtual void OnEpochBegin(int epoch, Logs logs) { }
    /// <summary>
    /// Called at the end of every epoch with its averages and, when validating, the <c>val_</c> values (Keras'
    /// <c>on_epoch_end</c>).
    /// </summary>
    /// <param name="epoch">The 0-based epoch.</param>
    /// <param name="logs">The values reported so far (see <see cref="Logs"/>); may be empty.</param>
    public virtual void OnEpochEnd(int epoch, Logs logs) { }
    /// <summary>Called before each training batch (Keras' <c>on_train_batch_begin</c>).</summary>
    /// <param name="batch">The 0-based batch index within the epoch (or the evaluation/prediction).</param>
    /// <param name="logs">The values reported so far (see <see cref="Logs"/>); may be empty.</param>
    public virtual void OnTrainBatchBegin(int batch, Logs logs) { }
    /// <summary>
    /// Called after each training batch with the running epoch averages (Keras' <c>on_train_batch_end</c>).
    /// </summary>
    /// <param name="batch">The 0-based batch index within the epoch (or the evaluation/prediction).</param>
    /// <param name="logs">The values reported so far (see <see cref="Logs"/>); may be empty.</param>
    public virtual void OnTrainBatchEnd(int batch, Logs logs) { }
    /// <summary>
    /// Called when <c>Evaluate</c> (or the validation of an epoch) starts (Keras' <c>on_test_begin</c>).
    /// </summary>
    /// <param name="logs">The values reported so far (see <see cref="Logs"/>); may be empty.</param>
    public virtual void OnTestBegin(Logs logs) { }
    /// <summary>
    /// Called when <c>Evaluate</c> (or the validation of an epoch) ends, with its results (Keras' <c>on_test_end</c>).
    /// </summary>
    /// <param name="logs">The values reported so far (see <see cref="Logs"/>); may be empty.</param>
    public virtual void OnTestEnd(Logs logs) { }
    /// <summary>Called before each evaluation batch (Keras' <c>on_test_batch_begin</c>).</summary>
    /// <param name="batch">The 0-based batch index within the epoch (or the evaluation/prediction).</param>
    /// <param name="logs">The values reported so far (see <see cref="Logs"/>); may be empty.</param>
    public virtual void OnTestBatchBegin(int batch, Logs logs) { }
    /// <summary>
    /// Called after each evaluation batch with the running averages (Keras' <c>on_test_batch_end</c>).
    /// </summary>
    /// <param name="batch">The 0-based batch index within the epoch (or the evaluation/prediction).</param>
    /// <param name="logs">The values reported so far (see <see cref="Logs"/>); may be empty.</param>
    public virtual void OnTestBatchEnd(int batch, Logs logs) { }
    /// <summary>Called when <c>Predict</c> starts (Keras' <c>on_predict_begin</c>).</summary>
    /// <param name="logs">The values reported so far (see <see cref="Logs"/>); may be empty.</param>
    public virtual void OnPredictBegin(Logs logs) { }
    /// <summary>Called when <c>Predict</c> ends (Keras' <c>on_predict_end</c>).</summary>
    /// <param name="logs">The values reported so far (see <see cref="Logs"/>); may be empty.</param>
    public virtual void OnPredictEnd(Logs logs) { }
    /// <summary>Called before each prediction batch (Keras' <c>on_predict_batch_begin</c>).</summary>
    /// <param name="batch">The 0-based batch index within the epoch (or the evaluation/prediction).</param>
    /// <param name="logs">The values reported so far (see <see cref="Logs"/>); may be empty.</param>
    public virtual void OnPredictBatchBegin(int batch, Logs logs) { }
    /// <summary>Called after each prediction batch (Keras' <c>on_predict_batch_end</c>).</summary>
    /// <param name="batch">The 0-based batch index within the epoch (or the evaluation/prediction).</param>
    /// <param name="logs">The values reported so far (see <see cref="Logs"/>); may be empty.</param>
    public virtual void OnPredictBatchEnd(int batch, Logs logs) { }
}

/// <summary>What a fit, evaluate or predict run was started with (Keras' <c>callback.params</c>).</summary>
public sealed record TrainingParameters(int Epochs, int Steps, int Verbose);
