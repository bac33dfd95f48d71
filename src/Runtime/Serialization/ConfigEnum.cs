using System.Text.Json.Nodes;

namespace Layerwise.Serialization;

/// <summary>
/// The config names of an enum's members (<c>DataFormat.ChannelsLast</c> is <c>"channels_last"</c>),
/// used by generated <c>GetConfig</c>/<c>FromConfig</c>. A table rather than generated switch
/// expressions: generated code is compiled in every build, and a table binds much faster.
/// </summary>
/// <typeparam name="T">The enum type.</typeparam>
public sealed class ConfigEnum<T> where T : struct, Enum
{
    readonly T[] values;
    readonly string[] names;
    readonly string allowed;

    /// <summary>Pairs <paramref name="values"/> with their config <paramref name="names"/>, in the same order.</summary>
    public ConfigEnum(T[] values, string[] names)
    {
        ArgumentNullException.ThrowIfNull(values);
        ArgumentNullException.ThrowIfNull(names);
        if (values.Length != names.Length) throw new ArgumentException($"{values.Length} values but {names.Length} names.", nameof(names));
        this.values = values;
        this.names = names;
        allowed = string.Join(", ", names.Select(n => "\"" + n + "\""));
        Reader = Read;
        Writer = Write;
    }

    /// <summary><see cref="Read"/> as a delegate, for generated code to nest in the combinators (cheaper to compile than a method group).</summary>
    public Func<JsonNode?, string, T> Reader { get; }

    /// <summary><see cref="Write"/> as a delegate, for generated code to nest in the combinators.</summary>
    public Func<T, JsonNode?> Writer { get; }

    /// <summary>The member named under <paramref name="key"/> of the config <paramref name="reader"/> reads; a <see cref="ConfigException"/> when absent.</summary>
    public T Required(ConfigReader reader, string key)
    {
        ArgumentNullException.ThrowIfNull(reader);
        return reader.Required(key, Reader, typeof(T).Name);
    }

    /// <summary>The member named under <paramref name="key"/> of the config <paramref name="reader"/> reads, or <paramref name="defaultValue"/> when absent.</summary>
    public T Optional(ConfigReader reader, string key, T defaultValue)
    {
        ArgumentNullException.ThrowIfNull(reader);
        return reader.Optional(key, Reader, defaultValue);
    }

    /// <summary>The config name of <paramref name="value"/>; a value outside the table is written as its .NET name.</summary>
    public JsonNode? Write(T value)
    {
        for (int i = 0; i < values.Length; i++)
            if (EqualityComparer<T>.Default.Equals(values[i], value)) return ConfigValues.WriteString(names[i]);
        return ConfigValues.WriteString(value.ToString());
    }

    /// <summary>The member named by the string at <paramref name="path"/>; a <see cref="ConfigException"/> listing the allowed names otherwise.</summary>
    public T Read(JsonNode? node, string path)
    {
        var name = ConfigValues.ReadString(node, path);
        for (int i = 0; i < names.Length; i++)
            if (string.Equals(names[i], name, StringComparison.Ordinal)) return values[i];
        throw new ConfigException(path, $"expected one of {allowed}; received {ConfigValues.Describe(node)}.");
    }
}
