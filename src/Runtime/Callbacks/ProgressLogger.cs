using Layerwise.Training;

namespace Layerwise.Callbacks;

/// <summary>Prints <c>Epoch 1/10</c> and the progress bar during fit, as Keras' ProgbarLogger.</summary>
internal sealed class ProgressLogger(int verbose, int epochs, int steps) : Callback
{
    ProgressBar? bar;
    int seen;

    public override void OnEpochBegin(int epoch, Logs logs)
    {
        if (verbose > 0 && epochs > 1) Output.Writer.WriteLine($"Epoch {epoch + 1}/{epochs}");
        bar = new ProgressBar(steps, verbose, Output.Writer, Output.IsInteractive);
        seen = 0;
    }

    public override void OnTrainBatchEnd(int batch, Logs logs)
    {
        seen = batch + 1;
        if (seen < steps) bar?.Update(seen, logs);
    }

    // Keras finalizes at the batches seen: an epoch cut short by StopTraining shows e.g. 3/10.
    public override void OnEpochEnd(int epoch, Logs logs) => bar?.Update(seen, logs, finalize: true);
}
