using System.Collections;

namespace Layerwise.Training;

/// <summary>
/// The named values a training step, an epoch or an evaluation reports (<c>loss</c>,
/// <c>sparse_categorical_accuracy</c>, <c>val_loss</c>, ...), in the order Keras prints them.
/// A value is computed when first read: reading a metric costs a device sync, and most batch logs
/// are never read.
/// </summary>
public sealed class Logs : IReadOnlyDictionary<string, double>
{
    readonly List<string> keys = [];
    readonly Dictionary<string, Lazy<double>> values = new(StringComparer.Ordinal);

    public Logs() { }

    public Logs(IEnumerable<KeyValuePair<string, double>> entries)
    {
        foreach (var (k, v) in entries) Set(k, v);
    }

    public void Set(string key, double value) => Set(key, new Lazy<double>(value));

    internal void Set(string key, Func<double> compute) => Set(key, new Lazy<double>(compute, LazyThreadSafetyMode.None));

    void Set(string key, Lazy<double> value)
    {
        if (!values.ContainsKey(key)) keys.Add(key);
        values[key] = value;
    }

    public double this[string key] => values.TryGetValue(key, out var v)
        ? v.Value
        : throw new KeyNotFoundException($"No log entry \"{key}\"; entries: {string.Join(", ", keys)}.");

    public IEnumerable<string> Keys => keys;
    public IEnumerable<double> Values => keys.Select(k => values[k].Value);
    public int Count => keys.Count;
    public bool ContainsKey(string key) => values.ContainsKey(key);

    public bool TryGetValue(string key, out double value)
    {
        if (values.TryGetValue(key, out var v)) { value = v.Value; return true; }
        value = default;
        return false;
    }

    public IEnumerator<KeyValuePair<string, double>> GetEnumerator() =>
        keys.Select(k => new KeyValuePair<string, double>(k, values[k].Value)).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>Keras' <c>loss, acc = model.evaluate(...)</c>: the first two entries.</summary>
    public void Deconstruct(out double first, out double second)
    {
        first = this[keys[0]];
        second = keys.Count > 1 ? this[keys[1]] : double.NaN;
    }

    public override string ToString() => string.Join(" - ", this.Select(kv => $"{kv.Key}: {ProgressBar.FormatValue(kv.Value)}"));
}
