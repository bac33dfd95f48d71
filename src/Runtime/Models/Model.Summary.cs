using System.Globalization;
using System.Text;

namespace Layerwise.Models;

public abstract partial class Model
{
    /// <summary>
    /// Writes Keras' summary table: each layer's name and type, output shape and parameter count,
    /// then the totals. Lines go to <paramref name="printFn"/>, or to <see cref="Output.Writer"/>.
    /// </summary>
    public void Summary(Action<string>? printFn = null, int lineLength = 65)
    {
        var print = printFn ?? Output.Writer.WriteLine;
        foreach (var line in SummaryLines(lineLength)) print(line);
    }

    /// <summary>The summary as text, one line per row, lines joined with '\n'.</summary>
    public string SummaryText(int lineLength = 65) => string.Join("\n", SummaryLines(lineLength));

    IEnumerable<string> SummaryLines(int lineLength)
    {
        var inputShape = BuildInputShape ?? DeclaredInputShapeOrFirstLayer();
        if (inputShape is null)
            throw new InvalidOperationException(
                $"Model \"{Name}\" has not yet been built: give the first layer an inputShape, call Build(shape), or call Fit once.");
        EnsureBuilt(inputShape);

        int[] positions = [(int)(lineLength * .45), (int)(lineLength * .85), lineLength];
        yield return $"Model: \"{Name}\"";
        yield return new string('_', lineLength);
        yield return Row(["Layer (type)", "Output Shape", "Param #"], positions);
        yield return new string('=', lineLength);
        var shape = inputShape;
        foreach (var layer in Layers)
        {
            shape = layer.ComputeOutputShape(shape);
            yield return Row([$"{layer.Name} ({layer.ClassName})", ShapeText.WithBatch(shape), layer.CountParams().ToString(CultureInfo.InvariantCulture)], positions);
            yield return "";
        }
        long trainable = TrainableWeights.Sum(w => w.NumElements);
        long total = CountParams();
        yield return new string('=', lineLength);
        yield return $"Total params: {total.ToString("N0", CultureInfo.InvariantCulture)}";
        yield return $"Trainable params: {trainable.ToString("N0", CultureInfo.InvariantCulture)}";
        yield return $"Non-trainable params: {(total - trainable).ToString("N0", CultureInfo.InvariantCulture)}";
        yield return new string('_', lineLength);
    }

    /// <summary>One table row: a leading space, each field cut to its column less two spaces, trailing spaces dropped.</summary>
    static string Row(string[] fields, int[] positions)
    {
        var line = new StringBuilder(" ");
        for (int col = 0; col < fields.Length; col++)
        {
            int start = col == 0 ? 0 : positions[col - 1];
            int space = col == fields.Length - 1 ? 0 : 2;
            int cutoff = positions[col] - start - space;
            var text = fields[col].Length > cutoff ? fields[col][..cutoff] : fields[col];
            line.Append(text);
            if (line.Length < positions[col]) line.Append(' ', positions[col] - line.Length);
        }
        return line.ToString().TrimEnd();
    }
}
