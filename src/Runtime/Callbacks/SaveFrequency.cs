namespace Layerwise.Callbacks;

/// <summary>
/// When <see cref="ModelCheckpoint"/> saves: at the end of every epoch (<c>"epoch"</c>, the default)
/// or after every N training batches (an integer), as Keras' <c>save_freq</c>. Converts implicitly
/// from both: <c>saveFreq: "epoch"</c>, <c>saveFreq: 5 * 32</c>.
/// </summary>
public readonly record struct SaveFrequency
{
    SaveFrequency(int? batches) => Batches = batches;

    /// <summary>The number of batches between saves; null when saving once per epoch.</summary>
    public int? Batches { get; }

    /// <summary>Whether saves happen once per epoch (Keras' <c>save_freq="epoch"</c>).</summary>
    public bool IsEpoch => Batches is null;

    /// <summary>Save at the end of every epoch (Keras' <c>"epoch"</c>, the default).</summary>
    public static SaveFrequency Epoch { get; } = new(null);

    /// <summary>
    /// Save after every <paramref name="batches"/> training batches (Keras' integer <c>save_freq</c>).
    /// </summary>
    /// <param name="batches">Positive number of batches between saves.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="batches"/> is not positive.</exception>
    public static SaveFrequency EveryBatches(int batches) => batches > 0
        ? new SaveFrequency(batches)
        : throw new ArgumentOutOfRangeException(nameof(batches), batches, "saveFreq must be a positive number of batches or \"epoch\".");

    /// <summary>A number of batches, as <see cref="EveryBatches"/>: <c>saveFreq: 100</c>.</summary>
    public static implicit operator SaveFrequency(int batches) => EveryBatches(batches);

    /// <summary>
    /// <c>"epoch"</c>, as Keras' string form; any other string throws <see cref="ArgumentException"/>.
    /// </summary>
    public static implicit operator SaveFrequency(string value) => value == "epoch"
        ? Epoch
        : throw new ArgumentException($"Unrecognized saveFreq: \"{value}\". Expected \"epoch\" or a positive number of batches.", nameof(value));

    /// <inheritdoc/>
    public override string ToString() => Batches is { } n ? n.ToString(System.Globalization.CultureInfo.InvariantCulture) : "epoch";
}
