using System.Globalization;
using System.Text;
using Layerwise.Training;

namespace Layerwise.Callbacks;

/// <summary>
/// Keras' <c>CSVLogger</c>: writes one row per epoch to a CSV file, as Python's <c>csv</c> module writes
/// it for Keras: a header <c>epoch,&lt;log keys sorted&gt;</c> (when the first epoch has no <c>val_</c> keys,
/// a <c>val_</c> column is added for each key, holding <c>NA</c>), the 0-based epoch, values as Python prints
/// floats, and <c>\r\n</c> line ends. The file is flushed after each row.
/// With <see cref="Append"/>, an existing non-empty file keeps its rows and gets no second header, so a
/// run resumed by <see cref="BackupAndRestore"/> continues the same file at the epoch it resumes from.
/// </summary>
public sealed class CSVLogger : Callback
{
    const string LineEnd = "\r\n";   // Python's csv.excel dialect
    List<string>? keys;
    bool writeHeader;

    /// <param name="filename">The CSV file, e.g. <c>run/log.csv</c>.</param>
    /// <param name="separator">The field separator: one character (Keras' <c>separator</c>).</param>
    /// <param name="append">Append to an existing file (to continue training); otherwise it is overwritten.</param>
    public CSVLogger(string filename, string separator = ",", bool append = false)
    {
        ArgumentException.ThrowIfNullOrEmpty(filename);
        if (separator is null || separator.Length != 1)
            throw new ArgumentException($"CSVLogger separator must be a 1-character string; received \"{separator}\".", nameof(separator));
        if (separator is "\"" or "\r" or "\n")
            throw new ArgumentException("CSVLogger separator cannot be a quote or a line break.", nameof(separator));
        Filename = filename;
        Separator = separator;
        Append = append;
    }

    /// <summary>The CSV file.</summary>
    public string Filename { get; }

    /// <summary>The field separator.</summary>
    public string Separator { get; }

    /// <summary>Whether rows are appended to an existing file.</summary>
    public bool Append { get; }

    /// <inheritdoc/>
    public override void OnTrainBegin(Logs logs)
    {
        if (Path.GetDirectoryName(Path.GetFullPath(Filename)) is { } folder && !Directory.Exists(folder))
            throw new DirectoryNotFoundException($"CSVLogger cannot write \"{Filename}\": the folder \"{folder}\" does not exist.");
        if (Append && File.Exists(Filename))
        {
            // Keras writes the header only when the file's first line is empty.
            using var reader = new StreamReader(Filename);
            writeHeader = string.IsNullOrEmpty(reader.ReadLine());
        }
        else
        {
            writeHeader = true;
            File.WriteAllBytes(Filename, []);   // Keras opens (and so creates or truncates) the file when training starts.
        }
    }

    /// <inheritdoc/>
    public override void OnEpochEnd(int epoch, Logs logs)
    {
        if (keys is null)
        {
            keys = [.. logs.Keys.Order(StringComparer.Ordinal)];
            // When validation runs only on some epochs, the first logs lack val_ keys: Keras adds their columns.
            if (!keys.Any(k => k.StartsWith("val_", StringComparison.Ordinal)))
                keys.AddRange([.. keys.Select(k => "val_" + k)]);
        }
        var text = new StringBuilder();
        if (writeHeader)
        {
            AppendRow(text, ["epoch", .. keys]);
            writeHeader = false;
        }
        AppendRow(text, [epoch.ToString(CultureInfo.InvariantCulture),
                         .. keys.Select(k => logs.TryGetValue(k, out var v) ? PythonText.Repr(v) : "NA")]);
        using var stream = new FileStream(Filename, FileMode.Append, FileAccess.Write, FileShare.Read);
        stream.Write(Encoding.UTF8.GetBytes(text.ToString()));
        stream.Flush();
    }

    /// <summary>One CSV record, fields quoted only where Python's <c>QUOTE_MINIMAL</c> quotes them.</summary>
    void AppendRow(StringBuilder text, IReadOnlyList<string> fields)
    {
        for (int i = 0; i < fields.Count; i++)
        {
            if (i > 0) text.Append(Separator);
            var field = fields[i];
            bool quote = field.Contains(Separator[0]) || field.Contains('"') || field.Contains('\r') || field.Contains('\n');
            text.Append(quote ? "\"" + field.Replace("\"", "\"\"") + "\"" : field);
        }
        text.Append(LineEnd);
    }
}
