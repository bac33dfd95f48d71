using Layerwise.Training;

namespace Layerwise.Callbacks;

/// <summary>Prints <c>Epoch 1/10</c> and the progress bar during fit, as Keras' ProgbarLogger.</summary>
internal sealed class ProgressLogger(int verbose, int epochs, int steps) : Callback
{
    ProgressBar? bar;

    public override void OnEpochBegin(int epoch, Logs logs)
    {
        if (verbose > 0 && epochs > 1) Output.Writer.WriteLine($"Epoch {epoch + 1}/{epochs}");
        bar = new ProgressBar(steps, verbose, Output.Writer, Output.IsInteractive);
    }

    public override void OnTrainBatchEnd(int batch, Logs logs)
    {
        if (batch + 1 < steps) bar?.Update(batch + 1, logs);
    }

    public override void OnEpochEnd(int epoch, Logs logs) => bar?.Update(steps, logs, finalize: true);
}
