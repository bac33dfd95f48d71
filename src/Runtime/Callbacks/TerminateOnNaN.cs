using Layerwise.Training;

namespace Layerwise.Callbacks;

/// <summary>
/// Keras' <c>TerminateOnNaN</c>: after each training batch, stops <see cref="O:Layerwise.Models.Model.Fit"/>
/// when the loss is NaN or infinite, printing <c>Batch N: Invalid loss, terminating training</c> (N 0-based).
/// Training stops right after that batch; the epoch still ends (its logs reach History), as in Keras.
/// Reading the loss every batch syncs the device once per batch.
/// </summary>
public sealed class TerminateOnNaN : Callback
{
    /// <inheritdoc/>
    public override void OnTrainBatchEnd(int batch, Logs logs)
    {
        if (!logs.TryGetValue("loss", out var loss) || double.IsFinite(loss)) return;
        Output.Writer.WriteLine($"Batch {batch}: Invalid loss, terminating training");
        Model!.StopTraining = true;
    }
}
