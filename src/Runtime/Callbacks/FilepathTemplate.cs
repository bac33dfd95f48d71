using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Layerwise.Training;

namespace Layerwise.Callbacks;

/// <summary>
/// Fills a Keras file path template as Python's <c>str.format</c> does for the fields Keras passes:
/// <c>{epoch}</c>, <c>{batch}</c> and every log key, with the format specs people write for them
/// (<c>{epoch:04d}</c>, <c>{val_loss:.2f}</c>, <c>{loss:.3e}</c>); <c>{{</c> and <c>}}</c> are literal braces.
/// </summary>
internal static class FilepathTemplate
{
    public static string Format(string template, int epoch, int? batch, IReadOnlyDictionary<string, double> logs)
    {
        var result = new StringBuilder();
        for (int i = 0; i < template.Length; i++)
        {
            char c = template[i];
            if (c == '{' && i + 1 < template.Length && template[i + 1] == '{') { result.Append('{'); i++; continue; }
            if (c == '}' && i + 1 < template.Length && template[i + 1] == '}') { result.Append('}'); i++; continue; }
            if (c == '}') throw Bad(template, "single '}' encountered");
            if (c != '{') { result.Append(c); continue; }
            int end = template.IndexOf('}', i + 1);
            if (end < 0) throw Bad(template, "unmatched '{'");
            var field = template[(i + 1)..end];
            int colon = field.IndexOf(':');
            var name = colon < 0 ? field : field[..colon];
            var spec = colon < 0 ? "" : field[(colon + 1)..];
            double value;
            bool integral;
            if (name == "epoch") { value = epoch; integral = true; }
            else if (name == "batch" && batch is { } b) { value = b; integral = true; }
            else if (logs.TryGetValue(name, out var logged)) { value = logged; integral = false; }
            else throw Bad(template, $"no value for \"{name}\"; available: epoch{(batch is null ? "" : ", batch")}{string.Concat(logs.Keys.Select(k => ", " + k))}");
            result.Append(FormatValue(value, integral, spec, template));
            i = end;
        }
        return result.ToString();
    }

    /// <summary>
    /// A pattern matching every string <see cref="Format"/> can make of <paramref name="template"/>:
    /// literal text as is, each field as one or more characters (to find the files an earlier run wrote).
    /// </summary>
    public static Regex Pattern(string template)
    {
        var pattern = new StringBuilder("^");
        for (int i = 0; i < template.Length; i++)
        {
            char c = template[i];
            if ((c == '{' || c == '}') && i + 1 < template.Length && template[i + 1] == c) { pattern.Append(Regex.Escape(c.ToString())); i++; continue; }
            if (c != '{') { pattern.Append(Regex.Escape(c.ToString())); continue; }
            int end = template.IndexOf('}', i + 1);
            if (end < 0) throw Bad(template, "unmatched '{'");
            pattern.Append("(.+)");
            i = end;
        }
        return new Regex(pattern.Append('$').ToString(), RegexOptions.CultureInvariant | RegexOptions.Singleline);
    }

    /// <summary>Python's format-spec mini-language, the subset <c>[0][width][.precision][d|f|e|g|%]</c>.</summary>
    static string FormatValue(double value, bool integral, string spec, string template)
    {
        int pos = 0;
        bool zeroPad = false;
        if (pos < spec.Length && spec[pos] == '0') { zeroPad = true; pos++; }
        int width = 0;
        while (pos < spec.Length && char.IsDigit(spec[pos])) width = width * 10 + (spec[pos++] - '0');
        int? precision = null;
        if (pos < spec.Length && spec[pos] == '.')
        {
            pos++;
            int p = 0, start = pos;
            while (pos < spec.Length && char.IsDigit(spec[pos])) p = p * 10 + (spec[pos++] - '0');
            if (pos == start) throw Bad(template, $"format spec \"{spec}\" has no precision after '.'");
            precision = p;
        }
        char type = pos < spec.Length ? spec[pos++] : '\0';
        if (pos != spec.Length) throw Bad(template, $"format spec \"{spec}\" is not supported (use [0][width][.precision][d|f|e|g|%])");
        var inv = CultureInfo.InvariantCulture;
        string text = type switch
        {
            'd' when value == Math.Floor(value) && !double.IsInfinity(value) => ((long)value).ToString(inv),
            'd' => throw Bad(template, $"format code 'd' needs an integer, got {value.ToString("R", inv)}"),
            'f' or 'F' => Special(value) ?? value.ToString("F" + (precision ?? 6), inv),
            'e' or 'E' => Special(value) ?? Exponent(value, precision ?? 6, type),
            'g' or 'G' => Special(value) ?? value.ToString("G" + (precision ?? 6), inv),
            '%' => Special(value) ?? (value * 100).ToString("F" + (precision ?? 6), inv) + "%",
            '\0' when integral => ((long)value).ToString(inv),
            '\0' => Special(value) ?? (precision is { } p2 ? value.ToString("G" + p2, inv) : PythonText.Repr(value)),
            _ => throw Bad(template, $"format code '{type}' is not supported"),
        };
        if (text.Length >= width) return text;
        if (!zeroPad) return text.PadLeft(width);
        bool negative = text.StartsWith('-');
        return negative ? "-" + text[1..].PadLeft(width - 1, '0') : text.PadLeft(width, '0');
    }

    static string? Special(double value) =>
        double.IsNaN(value) ? "nan" : double.IsPositiveInfinity(value) ? "inf" : double.IsNegativeInfinity(value) ? "-inf" : null;

    /// <summary>Python's <c>e</c> format: mantissa, then <c>e+05</c> (at least two exponent digits).</summary>
    static string Exponent(double value, int precision, char type)
    {
        var text = value.ToString((type == 'E' ? "E" : "e") + precision, CultureInfo.InvariantCulture);
        int at = text.IndexOfAny(['e', 'E']);
        var exponent = int.Parse(text[(at + 1)..], CultureInfo.InvariantCulture);
        return $"{text[..(at + 1)]}{(exponent < 0 ? '-' : '+')}{Math.Abs(exponent):00}";
    }

    static ArgumentException Bad(string template, string reason) =>
        new($"Failed to format this callback filepath: \"{template}\". Reason: {reason}.");
}
