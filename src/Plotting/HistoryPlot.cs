using Layerwise.Callbacks;
using ScottPlot;
using SkiaSharp;

namespace Layerwise.Plotting;

/// <summary>
/// Draws a training <see cref="History"/> the way the Keras tutorials plot <c>history.history</c> with
/// matplotlib: one chart per metric ("model loss", "model accuracy", ...), the training curve and, where
/// it was recorded, the validation curve (<c>val_</c> key), epoch on the x axis, legend "train" /
/// "validation". Epochs are numbered from 1, as the progress lines count them.
/// </summary>
public static class HistoryPlot
{
    /// <summary>Width of one chart in pixels.</summary>
    public const int ChartWidth = 640;

    /// <summary>Height of one chart in pixels.</summary>
    public const int ChartHeight = 420;

    /// <summary>
    /// Writes the history as a PNG: one chart per metric, two charts per row. Keras has no
    /// <c>history.plot</c>; this draws what its tutorials draw by hand.
    /// </summary>
    /// <exception cref="ArgumentException">The history recorded no epoch.</exception>
    public static void Plot(this History history, string path)
    {
        ArgumentNullException.ThrowIfNull(history);
        Plot(history.Epochs, history.Values, path);
    }

    /// <summary>
    /// Writes a PNG of per-epoch values (keys as in Keras' logs: <c>loss</c>, <c>val_loss</c>, ...) for the
    /// given 0-based <paramref name="epochs"/>, as <see cref="Plot(History, string)"/> does.
    /// </summary>
    /// <exception cref="ArgumentException">No epoch, or a series whose length differs from the epochs'.</exception>
    public static void Plot(IReadOnlyList<int> epochs, IReadOnlyDictionary<string, IReadOnlyList<double>> values, string path)
    {
        ArgumentNullException.ThrowIfNull(epochs);
        ArgumentNullException.ThrowIfNull(values);
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (epochs.Count == 0 || values.Count == 0)
            throw new ArgumentException("The history holds no epoch to plot: call Fit first (or pass a CSV log with at least one row).", nameof(epochs));
        foreach (var (key, series) in values)
            if (series.Count != epochs.Count)
                throw new ArgumentException($"\"{key}\" has {series.Count} values for {epochs.Count} epochs.", nameof(values));

        var charts = Charts(values.Keys);
        int columns = Math.Min(2, charts.Count), rows = (charts.Count + columns - 1) / columns;
        using var surface = SKSurface.Create(new SKImageInfo(columns * ChartWidth, rows * ChartHeight))
            ?? throw new InvalidOperationException("SkiaSharp could not create a drawing surface.");
        surface.Canvas.Clear(SKColors.White);
        var x = epochs.Select(e => (double)(e + 1)).ToArray();
        for (int i = 0; i < charts.Count; i++)
        {
            var (metric, train, validation) = charts[i];
            var plot = new ScottPlot.Plot();
            plot.Title($"model {metric}");
            plot.XLabel("epoch");
            plot.YLabel(metric);
            if (train is not null) AddCurve(plot, x, values[train], "train", Colors.C0);
            if (validation is not null) AddCurve(plot, x, values[validation], "validation", Colors.C1);
            plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic { IntegerTicksOnly = true };
            // Out of the curves' way: a falling metric (loss) leaves the upper right free, a rising one (accuracy) the lower right.
            var reference = values[train ?? validation!].Where(double.IsFinite).ToList();
            bool rising = reference.Count > 1 && reference[^1] > reference[0];
            plot.ShowLegend(rising ? Alignment.LowerRight : Alignment.UpperRight);
            // Each chart on its own surface: ScottPlot clears the whole canvas it renders on.
            using var chart = SKSurface.Create(new SKImageInfo(ChartWidth, ChartHeight))
                ?? throw new InvalidOperationException("SkiaSharp could not create a drawing surface.");
            plot.Render(chart);
            using var chartImage = chart.Snapshot();
            surface.Canvas.DrawImage(chartImage, i % columns * ChartWidth, i / columns * ChartHeight);
        }

        using var image = surface.Snapshot();
        using var png = image.Encode(SKEncodedImageFormat.Png, 100);
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (directory is not null) Directory.CreateDirectory(directory);
        using var file = File.Create(path);
        png.SaveTo(file);
    }

    /// <summary>One chart per metric: its training key and its <c>val_</c> key, in log order (a <c>val_</c> key without a training twin gets its own).</summary>
    static List<(string Metric, string? Train, string? Validation)> Charts(IEnumerable<string> keys)
    {
        var all = keys.ToList();
        var charts = new List<(string, string?, string?)>();
        foreach (var key in all)
        {
            if (key.StartsWith("val_", StringComparison.Ordinal))
            {
                if (!all.Contains(key[4..])) charts.Add((key[4..], null, key));
                continue;
            }
            charts.Add((key, key, all.Contains("val_" + key) ? "val_" + key : null));
        }
        return charts;
    }

    /// <summary>A line with markers; non-finite values (a diverged loss) are left out rather than breaking the axis range.</summary>
    static void AddCurve(ScottPlot.Plot plot, double[] x, IReadOnlyList<double> y, string label, Color color)
    {
        var points = x.Zip(y).Where(p => double.IsFinite(p.Second)).ToArray();
        if (points.Length == 0) return;
        var line = plot.Add.Scatter(points.Select(p => p.First).ToArray(), points.Select(p => p.Second).ToArray(), color);
        line.LegendText = label;
        line.LineWidth = 2;
        line.MarkerSize = 5;
    }
}
