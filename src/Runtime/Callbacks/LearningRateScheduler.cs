using Layerwise.Training;

namespace Layerwise.Callbacks;

/// <summary>
/// Keras' <c>LearningRateScheduler</c>: at the start of every epoch, sets the optimizer's learning rate
/// to <c>schedule(epoch, lr)</c> (epoch 0-based, lr the current rate as Keras' float32 variable holds it);
/// at the end of every epoch writes it into the logs as <c>lr</c> (Keras 2's key).
/// </summary>
/// <example><code>
/// // Keep the rate for ten epochs, then decay it exponentially (Keras' example: 0.01 becomes 0.00607 after 15 epochs).
/// var scheduler = new LearningRateScheduler((epoch, lr) => epoch &lt; 10 ? lr : lr * Math.Exp(-0.1));
/// </code></example>
public sealed class LearningRateScheduler : Callback
{
    /// <param name="schedule">Takes the 0-based epoch and the current learning rate, returns the new one.</param>
    /// <param name="verbose">1 prints <c>Epoch N: LearningRateScheduler setting learning rate to X.</c></param>
    public LearningRateScheduler(Func<int, double, double> schedule, int verbose = 0)
    {
        Schedule = schedule ?? throw new ArgumentNullException(nameof(schedule));
        Verbose = verbose;
    }

    /// <summary>Keras' <c>LearningRateScheduler(schedule)</c> with a schedule that reads only the epoch (Keras' old one-argument form).</summary>
    /// <param name="schedule">Takes the 0-based epoch, returns the learning rate.</param>
    /// <param name="verbose">1 prints each setting.</param>
    public LearningRateScheduler(Func<int, double> schedule, int verbose = 0)
        : this(schedule is null ? throw new ArgumentNullException(nameof(schedule)) : (epoch, _) => schedule(epoch), verbose) { }

    /// <summary>The schedule: (0-based epoch, current learning rate) → new learning rate.</summary>
    public Func<int, double, double> Schedule { get; }

    /// <summary>0 silent, 1 prints each setting.</summary>
    public int Verbose { get; }

    /// <inheritdoc/>
    public override void OnEpochBegin(int epoch, Logs logs)
    {
        var optimizer = Model!.Optimizer!;
        double lr = Schedule(epoch, KerasLearningRate.Read(optimizer));
        if (!double.IsFinite(lr) || lr < 0)
            throw new LayerwiseException($"LearningRateScheduler: the schedule returned {PythonText.Repr(lr)} for epoch {epoch}; a learning rate must be a finite number, zero or more.");
        KerasLearningRate.Write(optimizer, lr);
        if (Verbose > 0) Output.Writer.WriteLine($"\nEpoch {epoch + 1}: LearningRateScheduler setting learning rate to {PythonText.Repr(lr)}.");
    }

    /// <inheritdoc/>
    public override void OnEpochEnd(int epoch, Logs logs) => logs.Set("lr", KerasLearningRate.LogValue(Model!.Optimizer!));
}
