using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Layerwise.Training;

/// <summary>
/// Keras 2's progress bar text: <c>32/32 [==============================] - 1s 10ms/step - loss: 0.1234</c>
/// (verbose 1; redrawn in place on a terminal, one final line otherwise) and
/// <c>32/32 - 0s - loss: 0.1234 - 165ms/epoch - 5ms/step</c> (verbose 2).
/// </summary>
internal sealed class ProgressBar
{
    const int Width = 30;
    readonly int target;
    readonly int verbose;
    readonly TextWriter output;
    readonly bool interactive;
    readonly Stopwatch clock = Stopwatch.StartNew();
    int previousLength;
    TimeSpan? lastDraw;

    public ProgressBar(int target, int verbose, TextWriter output, bool interactive)
    {
        this.target = target;
        this.verbose = verbose;
        this.output = output;
        this.interactive = interactive;
    }

    /// <summary>Shows progress after <paramref name="current"/> steps; <paramref name="logs"/> are read only if drawn.</summary>
    public void Update(int current, Logs logs, bool finalize = false)
    {
        finalize |= current >= target;
        if (verbose == 1) UpdateBar(current, logs, finalize);
        else if (verbose == 2 && finalize) WriteSummaryLine(current, logs);
    }

    void UpdateBar(int current, Logs logs, bool finalize)
    {
        if (!finalize && (!interactive || (lastDraw is { } last && clock.Elapsed - last < TimeSpan.FromMilliseconds(50)))) return;
        lastDraw = clock.Elapsed;
        var line = new StringBuilder();
        line.Append(Counter(current)).Append(" [").Append(Bar(current)).Append(']');
        double seconds = clock.Elapsed.TotalSeconds;
        double perStep = current > 0 ? seconds / current : 0;
        if (finalize)
            line.Append(" - ").Append(((long)Math.Round(seconds)).ToString(CultureInfo.InvariantCulture)).Append('s').Append(FormatTime(perStep, "step"));
        else
            line.Append(" - ETA: ").Append(FormatEta(perStep * (target - current)));
        AppendValues(line, logs);

        if (interactive)
        {
            var text = line.ToString();
            int pad = Math.Max(0, previousLength - text.Length);
            output.Write('\r' + text + new string(' ', pad));
            previousLength = text.Length;
            if (finalize) output.WriteLine();
        }
        else
        {
            output.WriteLine(line.ToString());
        }
        output.Flush();
    }

    void WriteSummaryLine(int current, Logs logs)
    {
        double seconds = clock.Elapsed.TotalSeconds;
        var line = new StringBuilder();
        line.Append(Counter(current)).Append(" - ").Append(((long)Math.Round(seconds)).ToString(CultureInfo.InvariantCulture)).Append('s');
        AppendValues(line, logs);
        line.Append(" -").Append(FormatTime(seconds, "epoch"));
        line.Append(" -").Append(FormatTime(current > 0 ? seconds / current : 0, "step"));
        output.WriteLine(line.ToString());
        output.Flush();
    }

    string Counter(int current)
    {
        int digits = target.ToString(CultureInfo.InvariantCulture).Length;
        return current.ToString(CultureInfo.InvariantCulture).PadLeft(digits) + "/" + target.ToString(CultureInfo.InvariantCulture);
    }

    string Bar(int current)
    {
        int filled = target > 0 ? (int)((long)Width * current / target) : Width;
        var bar = new StringBuilder(Width);
        if (filled > 0)
        {
            bar.Append('=', filled - 1);
            bar.Append(current < target ? '>' : '=');
        }
        bar.Append('.', Width - filled);
        return bar.ToString();
    }

    static void AppendValues(StringBuilder line, Logs logs)
    {
        foreach (var (key, value) in logs)
            line.Append(" - ").Append(key).Append(": ").Append(FormatValue(value));
    }

    /// <summary>Keras' number format: four decimals, or scientific notation below 1e-3.</summary>
    public static string FormatValue(double value) =>
        Math.Abs(value) > 1e-3 || double.IsNaN(value)
            ? value.ToString("0.0000", CultureInfo.InvariantCulture)
            : value.ToString("0.0000e+00", CultureInfo.InvariantCulture);

    /// <summary>Keras' <c>_format_time</c>: " 5ms/step", " 1s/epoch", " 800us/step".</summary>
    static string FormatTime(double seconds, string unit)
    {
        if (seconds >= 1 || seconds == 0) return $" {Math.Round(seconds).ToString(CultureInfo.InvariantCulture)}s/{unit}";
        if (seconds >= 1e-3) return $" {Math.Round(seconds * 1e3).ToString(CultureInfo.InvariantCulture)}ms/{unit}";
        return $" {Math.Round(seconds * 1e6).ToString(CultureInfo.InvariantCulture)}us/{unit}";
    }

    static string FormatEta(double seconds)
    {
        long s = (long)seconds;
        if (s > 3600) return $"{s / 3600}:{s % 3600 / 60:00}:{s % 60:00}";
        if (s > 60) return $"{s / 60}:{s % 60:00}";
        return $"{s}s";
    }
}
