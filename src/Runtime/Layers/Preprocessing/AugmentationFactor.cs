using System.Text.Json.Nodes;
using Layerwise.Serialization;

namespace Layerwise.Layers;

/// <summary>
/// The <c>factor</c> of Keras' random augmentation layers: one number (<see cref="IsSingle"/>, a range
/// symmetric around the layer's neutral value) or a pair [lower, upper]. Kept as written, so a config
/// is written back the way Keras wrote it; each layer turns it into its own range.
/// </summary>
[ConfigConverter(typeof(AugmentationFactor))]
public sealed class AugmentationFactor
{
    /// <summary>A single factor <c>f</c>, which each layer reads as its symmetric range (e.g. [-f, f]).</summary>
    /// <param name="value">The factor; must be finite.</param>
    public AugmentationFactor(double value)
    {
        if (!double.IsFinite(value)) throw new ArgumentOutOfRangeException(nameof(value), value, "An augmentation factor must be finite.");
        Lower = Upper = value;
        IsSingle = true;
    }

    /// <summary>A [lower, upper] range (Keras sorts the pair; so does this).</summary>
    /// <param name="lower">One bound; must be finite.</param>
    /// <param name="upper">The other bound; must be finite.</param>
    public AugmentationFactor(double lower, double upper)
    {
        if (!double.IsFinite(lower) || !double.IsFinite(upper))
            throw new ArgumentException($"An augmentation factor must be finite; received ({lower}, {upper}).");
        // Keras sorts the pair.
        (Lower, Upper) = lower <= upper ? (lower, upper) : (upper, lower);
    }

    /// <summary>The lower bound (the single value when <see cref="IsSingle"/>).</summary>
    public double Lower { get; }
    /// <summary>The upper bound (the single value when <see cref="IsSingle"/>).</summary>
    public double Upper { get; }

    /// <summary>Whether the factor was one number (both bounds hold it) rather than a pair.</summary>
    public bool IsSingle { get; }

    /// <summary>The range a single number <c>f</c> stands for when it means [-|f|, |f|] (rotation, zoom, translation, brightness).</summary>
    public (double Lower, double Upper) Symmetric => IsSingle ? (-Math.Abs(Lower), Math.Abs(Lower)) : (Lower, Upper);

    /// <summary>Lets a number stand for a factor, as in Keras (<c>factor=0.2</c>).</summary>
    public static implicit operator AugmentationFactor(double value) => new(value);
    /// <summary>Lets a pair stand for a factor range, as in Keras (<c>factor=(-0.2, 0.3)</c>).</summary>
    public static implicit operator AugmentationFactor((double Lower, double Upper) range) => new(range.Lower, range.Upper);

    /// <inheritdoc/>
    public override string ToString() => IsSingle ? Lower.ToString("R", System.Globalization.CultureInfo.InvariantCulture) : $"[{Lower}, {Upper}]";

    /// <summary>Writes the factor as Keras does: a number, or a two-element list.</summary>
    public static JsonNode? Write(AugmentationFactor? factor) => factor switch
    {
        null => null,
        { IsSingle: true } => ConfigValues.WriteDouble(factor.Lower),
        _ => new JsonArray(ConfigValues.WriteDouble(factor.Lower), ConfigValues.WriteDouble(factor.Upper)),
    };

    /// <summary>Reads a number or a list of two numbers.</summary>
    public static AugmentationFactor Read(JsonNode? node, string path)
    {
        if (node is JsonArray { Count: 2 } pair)
            return new AugmentationFactor(ConfigValues.ReadDouble(pair[0], path + "[0]"), ConfigValues.ReadDouble(pair[1], path + "[1]"));
        if (node is JsonValue)
            return new AugmentationFactor(ConfigValues.ReadDouble(node, path));
        throw new ConfigException(path, $"expected a number or a list of two numbers [lower, upper]; received {ConfigValues.Describe(node)}.");
    }
}
