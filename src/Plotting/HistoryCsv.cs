using System.Globalization;
using Layerwise.Callbacks;
using Layerwise.Training;

namespace Layerwise.Plotting;

/// <summary>
/// Reads the CSV file Keras' <c>CSVLogger</c> writes (and Layerwise's, in the same form): a header
/// <c>epoch,loss,...</c>, then one row per epoch (0-based), values as Python prints them
/// (<c>nan</c>, <c>inf</c>, and <c>NA</c> for a key an epoch did not log).
/// </summary>
public static class HistoryCsv
{
    /// <summary>The logged epochs as a <see cref="History"/> (for <see cref="HistoryPlot.Plot(History, string)"/>).</summary>
    /// <exception cref="LayerwiseException">The file is empty, has no <c>epoch</c> column, or a row does not match the header.</exception>
    public static History Read(string path, char separator = ',')
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var lines = File.ReadAllLines(path).Where(l => l.Length > 0).ToList();
        if (lines.Count == 0) throw new LayerwiseException($"{path}: the file is empty; expected a CSVLogger header such as \"epoch,loss,val_loss\".");
        var header = lines[0].Split(separator).Select(h => h.Trim()).ToArray();
        int epochColumn = Array.IndexOf(header, "epoch");
        if (epochColumn < 0)
            throw new LayerwiseException($"{path}: the header \"{lines[0]}\" has no \"epoch\" column; expected a CSVLogger file (\"epoch,loss,...\").");

        var history = new History();
        for (int row = 1; row < lines.Count; row++)
        {
            var cells = lines[row].Split(separator);
            if (cells.Length != header.Length)
                throw new LayerwiseException($"{path}, line {row + 1}: {cells.Length} values for the {header.Length} columns of the header.");
            if (!int.TryParse(cells[epochColumn].Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var epoch))
                throw new LayerwiseException($"{path}, line {row + 1}: epoch \"{cells[epochColumn]}\" is not an integer.");
            var logs = new Logs();
            for (int c = 0; c < header.Length; c++)
                if (c != epochColumn) logs.Set(header[c], Number(cells[c].Trim(), path, row + 1, header[c]));
            history.OnEpochEnd(epoch, logs);
        }
        return history;
    }

    static double Number(string text, string path, int line, string column) => text.ToLowerInvariant() switch
    {
        "na" or "nan" or "" => double.NaN,
        "inf" => double.PositiveInfinity,
        "-inf" => double.NegativeInfinity,
        _ => double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new LayerwiseException($"{path}, line {line}: \"{column}\" is \"{text}\", not a number."),
    };
}
