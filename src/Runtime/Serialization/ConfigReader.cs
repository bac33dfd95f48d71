using System.Text.Json.Nodes;

namespace Layerwise.Serialization;

/// <summary>
/// Reads the constructor arguments of one class out of its config (used by generated
/// <c>FromConfig</c>): required keys must be present, optional ones fall back to the constructor's
/// default, and every error names the key and the expected type.
/// </summary>
public sealed partial class ConfigReader
{
    readonly JsonObject config;
    readonly string className;

    /// <summary>
    /// A reader of the constructor arguments in <paramref name="config"/> (generated <c>FromConfig</c> code creates
    /// one).
    /// </summary>
    /// <param name="config">The <c>config</c> object of the layer.</param>
    /// <param name="className">The class name, for error paths (<c>Dense.config.units</c>).</param>
    public ConfigReader(JsonObject config, string className)
    {
        ArgumentNullException.ThrowIfNull(config);
        this.config = config;
        this.className = className;
    }

    /// <summary>The JSON object being read.</summary>
    public JsonObject Config => config;

    string PathOf(string key) => $"{className}.config.{key}";

    /// <summary>Whether the config has <paramref name="key"/> (with any value, null included).</summary>
    public bool Has(string key) => config.ContainsKey(key);

    /// <summary>The value under <paramref name="key"/>; a <see cref="ConfigException"/> when it is absent.</summary>
    public T Required<T>(string key, Func<JsonNode?, string, T> read, string expected)
    {
        if (!config.TryGetPropertyValue(key, out var node))
            throw new ConfigException(PathOf(key), $"the key \"{key}\" is required ({expected}) but the config does not have it.");
        return read(node, PathOf(key));
    }

    /// <summary>The value under <paramref name="key"/>, or <paramref name="defaultValue"/> when it is absent.</summary>
    public T Optional<T>(string key, Func<JsonNode?, string, T> read, T defaultValue) =>
        config.TryGetPropertyValue(key, out var node) ? read(node, PathOf(key)) : defaultValue;

    /// <summary>
    /// The object under <paramref name="key"/>, or null when the key is absent or its value is <c>null</c>
    /// (Keras' None): an optional argument of a nullable reference type, whose default can only be null.
    /// </summary>
    public T? OptionalOrNull<T>(string key, Func<JsonNode?, string, T> read) where T : class =>
        config.TryGetPropertyValue(key, out var node) && node is not null ? read(node, PathOf(key)) : null;

    /// <summary>
    /// The per-sample input shape: <paramref name="key"/> (a batch shape, first entry dropped), else
    /// <c>batch_input_shape</c> / <c>batch_shape</c>, else <c>input_shape</c> (Keras 2 and 3 spellings).
    /// A <c>null</c> size (Keras' <c>None</c>) reads as <see cref="Dimensions.Unknown"/>.
    /// </summary>
    public long[]? InputShape(string key)
    {
        foreach (var batchKey in new[] { key, "batch_input_shape", "batch_shape" })
        {
            if (config.TryGetPropertyValue(batchKey, out var node) && node is not null)
            {
                var shape = ConfigValues.ReadShape(node, PathOf(batchKey));
                if (shape.Length == 0) throw new ConfigException(PathOf(batchKey), "expected a batch shape [null, ...]; received [].");
                return SampleShape(shape[1..], batchKey);
            }
        }
        if (config.TryGetPropertyValue("input_shape", out var perSample) && perSample is not null)
            return SampleShape(ConfigValues.ReadShape(perSample, PathOf("input_shape")), "input_shape");
        return null;
    }

    long[] SampleShape(long?[] sizes, string key)
    {
        long[] shape = [.. sizes.Select(d => d ?? Dimensions.Unknown)];
        if (Dimensions.Problem(shape) is { } problem) throw new ConfigException(PathOf(key), problem + ".");
        return shape;
    }
}
