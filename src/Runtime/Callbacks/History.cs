using Layerwise.Training;

namespace Layerwise.Callbacks;

/// <summary>
/// What <see cref="O:Layerwise.Models.Model.Fit"/> returns: the epoch-end value of every log key
/// (Keras' <c>history.history</c>), e.g. <c>history["val_loss"][^1]</c>.
/// </summary>
public sealed class History : Callback
{
    readonly Dictionary<string, List<double>> values = new(StringComparer.Ordinal);
    readonly List<int> epochs = [];

    /// <summary>The 0-based epochs recorded, in order.</summary>
    public IReadOnlyList<int> Epochs => epochs;

    /// <summary>Every key's values, one per recorded epoch.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<double>> Values =>
        values.ToDictionary(kv => kv.Key, kv => (IReadOnlyList<double>)kv.Value, StringComparer.Ordinal);

    /// <summary>The values of one log key, one per epoch (Keras' <c>history.history[key]</c>).</summary>
    /// <param name="key">A log key, e.g. <c>loss</c> or <c>val_accuracy</c>.</param>
    /// <exception cref="KeyNotFoundException">No epoch logged <paramref name="key"/>; the message lists the keys there
    /// are.</exception>
    public IReadOnlyList<double> this[string key] => values.TryGetValue(key, out var list)
        ? list
        : throw new KeyNotFoundException($"History has no \"{key}\"; it has: {string.Join(", ", values.Keys)}.");

    /// <inheritdoc/>
    public override void OnEpochEnd(int epoch, Logs logs)
    {
        epochs.Add(epoch);
        foreach (var (key, value) in logs)
        {
            if (!values.TryGetValue(key, out var list)) values[key] = list = [];
            list.Add(value);
        }
    }
}
