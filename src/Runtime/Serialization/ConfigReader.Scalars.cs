using System.Text.Json.Nodes;

namespace Layerwise.Serialization;

// Non-generic readers for the scalar types most constructor arguments have. Generated FromConfig calls
// these instead of Required<T>/Optional<T> with a method-group reader: a plain call binds several
// times faster than a generic call with a delegate conversion, and generated code is compiled in every
// build of every project with [Layer] types.
public sealed partial class ConfigReader
{
    /// <summary>The bool under <paramref name="key"/>; a <see cref="ConfigException"/> when it is absent or not a boolean.</summary>
    public bool RequiredBoolean(string key) => Required(key, ConfigValues.ReadBoolean, "bool");

    /// <summary>The bool under <paramref name="key"/>, or <paramref name="defaultValue"/> when the key is absent.</summary>
    public bool OptionalBoolean(string key, bool defaultValue) =>
        config.TryGetPropertyValue(key, out var node) ? ConfigValues.ReadBoolean(node, PathOf(key)) : defaultValue;

    /// <summary>The int under <paramref name="key"/>; a <see cref="ConfigException"/> when it is absent or not an integer.</summary>
    public int RequiredInt32(string key) => Required(key, ConfigValues.ReadInt32, "int");

    /// <summary>The int under <paramref name="key"/>, or <paramref name="defaultValue"/> when the key is absent.</summary>
    public int OptionalInt32(string key, int defaultValue) =>
        config.TryGetPropertyValue(key, out var node) ? ConfigValues.ReadInt32(node, PathOf(key)) : defaultValue;

    /// <summary>The long under <paramref name="key"/>; a <see cref="ConfigException"/> when it is absent or not an integer.</summary>
    public long RequiredInt64(string key) => Required(key, ConfigValues.ReadInt64, "long");

    /// <summary>The long under <paramref name="key"/>, or <paramref name="defaultValue"/> when the key is absent.</summary>
    public long OptionalInt64(string key, long defaultValue) =>
        config.TryGetPropertyValue(key, out var node) ? ConfigValues.ReadInt64(node, PathOf(key)) : defaultValue;

    /// <summary>The float under <paramref name="key"/>; a <see cref="ConfigException"/> when it is absent or not a number.</summary>
    public float RequiredSingle(string key) => Required(key, ConfigValues.ReadSingle, "float");

    /// <summary>The float under <paramref name="key"/>, or <paramref name="defaultValue"/> when the key is absent.</summary>
    public float OptionalSingle(string key, float defaultValue) =>
        config.TryGetPropertyValue(key, out var node) ? ConfigValues.ReadSingle(node, PathOf(key)) : defaultValue;

    /// <summary>The double under <paramref name="key"/>; a <see cref="ConfigException"/> when it is absent or not a number.</summary>
    public double RequiredDouble(string key) => Required(key, ConfigValues.ReadDouble, "double");

    /// <summary>The double under <paramref name="key"/>, or <paramref name="defaultValue"/> when the key is absent.</summary>
    public double OptionalDouble(string key, double defaultValue) =>
        config.TryGetPropertyValue(key, out var node) ? ConfigValues.ReadDouble(node, PathOf(key)) : defaultValue;

    /// <summary>The string under <paramref name="key"/>; a <see cref="ConfigException"/> when it is absent or not a string.</summary>
    public string RequiredString(string key) => Required(key, ConfigValues.ReadString, "string");

    /// <summary>The string under <paramref name="key"/>, or <paramref name="defaultValue"/> when the key is absent.</summary>
    public string OptionalString(string key, string defaultValue) =>
        config.TryGetPropertyValue(key, out var node) ? ConfigValues.ReadString(node, PathOf(key)) : defaultValue;

    /// <summary>The string or null under <paramref name="key"/>, or <paramref name="defaultValue"/> when the key is absent.</summary>
    public string? OptionalNullableString(string key, string? defaultValue) =>
        config.TryGetPropertyValue(key, out var node) ? ConfigValues.ReadNullableString(node, PathOf(key)) : defaultValue;
}
