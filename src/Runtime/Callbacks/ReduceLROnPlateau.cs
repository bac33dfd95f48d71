using Layerwise.Training;

namespace Layerwise.Callbacks;

/// <summary>
/// Keras' <c>ReduceLROnPlateau</c>: multiplies the optimizer's learning rate by <see cref="Factor"/> when a
/// monitored log value has not improved by more than <see cref="MinDelta"/> for <see cref="Patience"/>
/// epochs, never below <see cref="MinLr"/>, then waits <see cref="Cooldown"/> epochs before counting again.
/// Every epoch it writes the learning rate in use into the logs as <c>lr</c> (Keras 2's key; Keras 3
/// calls it <c>learning_rate</c>), so History and <see cref="CSVLogger"/> record it.
/// </summary>
public sealed class ReduceLROnPlateau : Callback
{
    /// <param name="monitor">The log key to watch.</param>
    /// <param name="factor">New learning rate = old × factor; must be below 1.</param>
    /// <param name="patience">Epochs without improvement after which the learning rate is reduced.</param>
    /// <param name="verbose">1 prints <c>Epoch N: ReduceLROnPlateau reducing learning rate to X.</c></param>
    /// <param name="mode"><c>auto</c>, <c>min</c> or <c>max</c>; auto means max when the key contains <c>acc</c>.</param>
    /// <param name="minDelta">How much better a value must be to count as a new optimum.</param>
    /// <param name="cooldown">Epochs after a reduction during which no wait is counted.</param>
    /// <param name="minLr">The lowest learning rate it sets (Keras' <c>min_lr</c>).</param>
    public ReduceLROnPlateau(string monitor = "val_loss", double factor = 0.1, int patience = 10, int verbose = 0, string mode = "auto",
                             double minDelta = 1e-4, int cooldown = 0, double minLr = 0)
    {
        ArgumentException.ThrowIfNullOrEmpty(monitor);
        if (!(factor < 1.0)) throw new ArgumentOutOfRangeException(nameof(factor), factor, $"ReduceLROnPlateau does not support a factor >= 1.0. Got {PythonText.Repr(factor)}");
        if (!(factor >= 0)) throw new ArgumentOutOfRangeException(nameof(factor), factor, "ReduceLROnPlateau factor must not be negative.");
        if (patience < 0) throw new ArgumentOutOfRangeException(nameof(patience), patience, "ReduceLROnPlateau patience must not be negative.");
        if (cooldown < 0) throw new ArgumentOutOfRangeException(nameof(cooldown), cooldown, "ReduceLROnPlateau cooldown must not be negative.");
        if (!(minLr >= 0)) throw new ArgumentOutOfRangeException(nameof(minLr), minLr, "ReduceLROnPlateau minLr must not be negative.");
        Monitor = monitor;
        Factor = factor;
        Patience = patience;
        Verbose = verbose;
        MinDelta = minDelta;
        Cooldown = cooldown;
        MinLr = minLr;
        Mode = mode switch
        {
            "min" or "max" => mode,
            "auto" => monitor.Contains("acc", StringComparison.Ordinal) ? "max" : "min",
            _ => throw new ArgumentException($"ReduceLROnPlateau mode \"{mode}\" is unknown; expected \"auto\", \"min\" or \"max\".", nameof(mode)),
        };
        Reset();
    }

    /// <summary>The log key watched.</summary>
    public string Monitor { get; }

    /// <summary>The factor the learning rate is multiplied by.</summary>
    public double Factor { get; }

    /// <summary>Epochs without improvement before a reduction.</summary>
    public int Patience { get; }

    /// <summary>0 silent, 1 prints each reduction.</summary>
    public int Verbose { get; }

    /// <summary><c>min</c> or <c>max</c> once <c>auto</c> is resolved.</summary>
    public string Mode { get; }

    /// <summary>How much better a value must be to count as a new optimum.</summary>
    public double MinDelta { get; }

    /// <summary>Epochs after a reduction during which no wait is counted.</summary>
    public int Cooldown { get; }

    /// <summary>The lower bound on the learning rate (Keras' <c>min_lr</c>).</summary>
    public double MinLr { get; }

    /// <summary>The best monitored value so far.</summary>
    public double Best { get; private set; }

    /// <summary>Epochs since the last improvement (Keras' <c>wait</c>).</summary>
    public int Wait { get; private set; }

    /// <summary>Cooldown epochs left (Keras' <c>cooldown_counter</c>).</summary>
    public int CooldownCounter { get; private set; }

    bool InCooldown => CooldownCounter > 0;

    void Reset()
    {
        Best = Mode == "min" ? double.PositiveInfinity : double.NegativeInfinity;
        CooldownCounter = 0;
        Wait = 0;
    }

    bool Improved(double current) => Mode == "min" ? current < Best - MinDelta : current > Best + MinDelta;

    /// <inheritdoc/>
    public override void OnTrainBegin(Logs logs) => Reset();

    /// <inheritdoc/>
    public override void OnEpochEnd(int epoch, Logs logs)
    {
        var optimizer = Model!.Optimizer!;
        logs.Set("lr", KerasLearningRate.LogValue(optimizer));
        if (!logs.TryGetValue(Monitor, out var current))
        {
            Output.Writer.WriteLine($"WARNING: Learning rate reduction is conditioned on metric `{Monitor}` which is not available. Available metrics are: {string.Join(",", logs.Keys)}");
            return;
        }
        if (InCooldown)
        {
            CooldownCounter--;
            Wait = 0;
        }
        if (Improved(current))
        {
            Best = current;
            Wait = 0;
        }
        else if (!InCooldown)
        {
            Wait++;
            if (Wait < Patience) return;
            double old = KerasLearningRate.Read(optimizer);
            if (!(old > (float)MinLr)) return;
            // Keras 2 multiplies the float32 value as a double, so it prints 0.00020000000949949026 for 0.001 × 0.2.
            double reduced = Math.Max(old * Factor, MinLr);
            KerasLearningRate.Write(optimizer, reduced);
            if (Verbose > 0) Output.Writer.WriteLine($"\nEpoch {epoch + 1}: ReduceLROnPlateau reducing learning rate to {PythonText.Repr(reduced)}.");
            CooldownCounter = Cooldown;
            Wait = 0;
        }
    }
}
