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

    /// <summary>Empty logs.</summary>
    public Logs() { }

    /// <summary>Logs holding <paramref name="entries"/>, in order.</summary>
    /// <param name="entries">Key/value pairs; a repeated key keeps its first position and its last value.</param>
    public Logs(IEnumerable<KeyValuePair<string, double>> entries)
    {
        foreach (var (k, v) in entries) Set(k, v);
    }

    /// <summary>
    /// Sets <paramref name="key"/> to <paramref name="value"/>; a new key goes last (callbacks may add their own
    /// values, as in Keras).
    /// </summary>
    /// <param name="key">The log key, e.g. <c>lr</c>.</param>
    /// <param name="value">The value.</param>
    public void Set(string key, double value) => Set(key, new Lazy<double>(value));

    internal void Set(string key, Func<double> compute) => Set(key, new Lazy<double>(compute, LazyThreadSafetyMode.None));

    void Set(string key, Lazy<double> value)
    {
        if (!values.ContainsKey(key)) keys.Add(key);
        values[key] = value;
    }

    /// <summary>The value of <paramref name="key"/> (Keras' <c>logs[key]</c>); computed on first read.</summary>
    /// <param name="key">A log key, e.g. <c>loss</c> or <c>val_accuracy</c>.</param>
    /// <exception cref="KeyNotFoundException">No such key; the message lists the keys there are.</exception>
    public double this[string key] => values.TryGetValue(key, out var v)
        ? v.Value
        : throw new KeyNotFoundException($"No log entry \"{key}\"; entries: {string.Join(", ", keys)}.");

    /// <summary>The keys in Keras' print order.</summary>
    public IEnumerable<string> Keys => keys;
    /// <summary>The values in key order (reading them computes every value).</summary>
    public IEnumerable<double> Values => keys.Select(k => values[k].Value);
    /// <summary>The number of keys.</summary>
    public int Count => keys.Count;
    /// <summary>Whether <paramref name="key"/> is logged.</summary>
    public bool ContainsKey(string key) => values.ContainsKey(key);

    /// <summary>The value of <paramref name="key"/>, if logged.</summary>
    public bool TryGetValue(string key, out double value)
    {
        if (values.TryGetValue(key, out var v)) { value = v.Value; return true; }
        value = default;
        return false;
    }

    /// <summary>The entries in Keras' print order.</summary>
    public IEnumerator<KeyValuePair<string, double>> GetEnumerator() =>
        keys.Select(k => new KeyValuePair<string, double>(k, values[k].Value)).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>Keras' <c>loss, acc = model.evaluate(...)</c>: the first two entries.</summary>
    public void Deconstruct(out double first, out double second)
    {
        first = this[keys[0]];
        second = keys.Count > 1 ? this[keys[1]] : double.NaN;
    }

    /// <inheritdoc/>
    public override string ToString() => string.Join(" - ", this.Select(kv => $"{kv.Key}: {ProgressBar.FormatValue(kv.Value)}"));
}
