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

    public bool IsEpoch => Batches is null;

    public static SaveFrequency Epoch { get; } = new(null);

    public static SaveFrequency EveryBatches(int batches) => batches > 0
        ? new SaveFrequency(batches)
        : throw new ArgumentOutOfRangeException(nameof(batches), batches, "saveFreq must be a positive number of batches or \"epoch\".");

    public static implicit operator SaveFrequency(int batches) => EveryBatches(batches);

    public static implicit operator SaveFrequency(string value) => value == "epoch"
        ? Epoch
        : throw new ArgumentException($"Unrecognized saveFreq: \"{value}\". Expected \"epoch\" or a positive number of batches.", nameof(value));

    public override string ToString() => Batches is { } n ? n.ToString(System.Globalization.CultureInfo.InvariantCulture) : "epoch";
}
