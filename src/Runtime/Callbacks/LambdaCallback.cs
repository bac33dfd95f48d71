using Layerwise.Training;

namespace Layerwise.Callbacks;

/// <summary>
/// Keras' <c>LambdaCallback</c>: a callback made of delegates, for small things without a class.
/// <c>onBatchBegin</c>/<c>onBatchEnd</c> run around each training batch (Keras' <c>on_batch_*</c>).
/// </summary>
/// <example><code>
/// var printBatch = new LambdaCallback(onBatchBegin: (batch, logs) => Console.WriteLine(batch));
/// var jsonLog = new LambdaCallback(onEpochEnd: (epoch, logs) => File.AppendAllText("loss.jsonl", $"{{\"epoch\": {epoch}, \"loss\": {logs["loss"]}}}\n"));
/// </code></example>
/// <param name="onEpochBegin">Called with the 0-based epoch and its (empty) logs at the start of every epoch.</param>
/// <param name="onEpochEnd">Called with the 0-based epoch and its logs at the end of every epoch.</param>
/// <param name="onBatchBegin">Called with the 0-based batch index at the start of every training batch.</param>
/// <param name="onBatchEnd">Called with the 0-based batch index and the running logs after every training batch.</param>
/// <param name="onTrainBegin">Called with the logs when training starts.</param>
/// <param name="onTrainEnd">Called with the last epoch's logs when training ends.</param>
public sealed class LambdaCallback(Action<int, Logs>? onEpochBegin = null, Action<int, Logs>? onEpochEnd = null,
                                   Action<int, Logs>? onBatchBegin = null, Action<int, Logs>? onBatchEnd = null,
                                   Action<Logs>? onTrainBegin = null, Action<Logs>? onTrainEnd = null) : Callback
{
    /// <inheritdoc/>
    public override void OnEpochBegin(int epoch, Logs logs) => onEpochBegin?.Invoke(epoch, logs);

    /// <inheritdoc/>
    public override void OnEpochEnd(int epoch, Logs logs) => onEpochEnd?.Invoke(epoch, logs);

    /// <inheritdoc/>
    public override void OnTrainBatchBegin(int batch, Logs logs) => onBatchBegin?.Invoke(batch, logs);

    /// <inheritdoc/>
    public override void OnTrainBatchEnd(int batch, Logs logs) => onBatchEnd?.Invoke(batch, logs);

    /// <inheritdoc/>
    public override void OnTrainBegin(Logs logs) => onTrainBegin?.Invoke(logs);

    /// <inheritdoc/>
    public override void OnTrainEnd(Logs logs) => onTrainEnd?.Invoke(logs);
}
