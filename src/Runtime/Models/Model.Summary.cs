using System.Globalization;
using System.Text;

namespace Layerwise.Models;

public abstract partial class Model
{
    /// <summary>
    /// Writes Keras' summary table: each layer's name and type, output shape and parameter count (and,
    /// for a functional model that is not a plain stack, what each layer is connected to), then the
    /// totals. Lines go to <paramref name="printFn"/>, or to <see cref="Output.Writer"/>.
    /// <paramref name="lineLength"/> defaults to Keras' 65 (98 with the "Connected to" column).
    /// </summary>
    public void Summary(Action<string>? printFn = null, int? lineLength = null)
    {
        var print = printFn ?? Output.Writer.WriteLine;
        foreach (var line in SummaryLines(lineLength)) print(line);
    }

    /// <summary>The summary as text, one line per row, lines joined with '\n'.</summary>
    public string SummaryText(int? lineLength = null) => string.Join("\n", SummaryLines(lineLength));

    /// <summary>The table's columns (header, end of each column as a fraction of the line), its default width, and one row of fields per layer.</summary>
    private protected sealed record SummaryTable(string[] Header, double[] Positions, int LineLength, IReadOnlyList<string[]> Rows);

    /// <summary>Keras' table for a stack of layers: each layer's output feeds the next.</summary>
    private protected virtual SummaryTable SummaryRows(long[] inputShape)
    {
        var rows = new List<string[]>();
        var shape = inputShape;
        foreach (var layer in Layers)
        {
            shape = layer.ComputeOutputShape(shape);
            rows.Add([$"{layer.Name} ({layer.ClassName})", ShapeText.WithBatch(shape), Count(layer.CountParams())]);
        }
        return StackTable(rows);
    }

    private protected static SummaryTable StackTable(IReadOnlyList<string[]> rows) =>
        new(["Layer (type)", "Output Shape", "Param #"], [.45, .85, 1], 65, rows);

    private protected static string Count(long value) => value.ToString(CultureInfo.InvariantCulture);

    IEnumerable<string> SummaryLines(int? lineLength)
    {
        var inputShape = BuildInputShape ?? DeclaredInputShapeOrFirstLayer();
        if (inputShape is null)
            throw new InvalidOperationException(
                $"Model \"{Name}\" has not yet been built: give the first layer an inputShape, call Build(shape), or call Fit once.");
        EnsureBuilt(inputShape);

        var table = SummaryRows(inputShape);
        int length = lineLength ?? table.LineLength;
        int[] positions = [.. table.Positions.Select(p => (int)(length * p))];
        yield return $"Model: \"{Name}\"";
        yield return new string('_', length);
        foreach (var line in Row(table.Header, positions)) yield return line;
        yield return new string('=', length);
        foreach (var row in table.Rows)
        {
            foreach (var line in Row(row, positions)) yield return line;
            yield return "";
        }
        long trainable = TrainableWeights.Sum(w => w.NumElements);
        long total = CountParams();
        yield return new string('=', length);
        yield return $"Total params: {total.ToString("N0", CultureInfo.InvariantCulture)}";
        yield return $"Trainable params: {trainable.ToString("N0", CultureInfo.InvariantCulture)}";
        yield return $"Non-trainable params: {(total - trainable).ToString("N0", CultureInfo.InvariantCulture)}";
        yield return new string('_', length);
    }

    static readonly string[] LineBreaks = ["),", "},", "],", "',"];

    /// <summary>
    /// One table row as Keras' <c>print_row</c> writes it: a leading space, each field cut to its column
    /// less two spaces and followed by two, a field that does not fit continued on the next line (broken after the first
    /// <c>),</c> <c>},</c> <c>],</c> or <c>',</c> that fits, so lists print one item per line);
    /// trailing spaces dropped.
    /// </summary>
    static IEnumerable<string> Row(string[] fields, int[] positions)
    {
        var left = fields.ToArray();
        do
        {
            var line = new StringBuilder(" ");
            for (int col = 0; col < left.Length; col++)
            {
                int start = col == 0 ? 0 : positions[col - 1];
                int space = col == left.Length - 1 ? 0 : 2;
                int cutoff = Math.Min(positions[col] - start - space, left[col].Length);
                var fit = left[col][..cutoff];
                var breaks = LineBreaks.Select(b => fit.IndexOf(b, StringComparison.Ordinal) is var i and >= 0 ? i + b.Length : int.MaxValue).Min();
                if (breaks != int.MaxValue) cutoff = breaks;
                line.Append(left[col], 0, cutoff).Append(' ', space);
                left[col] = left[col][cutoff..];
                if (line.Length < positions[col]) line.Append(' ', positions[col] - line.Length);
            }
            yield return line.ToString().TrimEnd();
        }
        while (left.Any(f => f.Length > 0));
    }
}
