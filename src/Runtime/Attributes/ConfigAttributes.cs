namespace Layerwise;

/// <summary>
/// On a constructor parameter of a <c>[Layer]</c>/<c>[ModelConfig]</c> type: the config key to use
/// instead of the snake_case form of the parameter's name.
/// </summary>
[AttributeUsage(AttributeTargets.Parameter, Inherited = false, AllowMultiple = false)]
public sealed class ConfigKeyAttribute(string key) : Attribute
{
    /// <summary>The config key the parameter is written under (e.g. <c>batch_shape</c>).</summary>
    public string Key { get; } = key;
}

/// <summary>
/// On a constructor parameter: the member (property or field) whose value <c>GetConfig()</c> writes
/// for it, when its name differs from the parameter's (by default, the member of the same name,
/// case-insensitive).
/// </summary>
[AttributeUsage(AttributeTargets.Parameter, Inherited = false, AllowMultiple = false)]
public sealed class ConfigSourceAttribute(string member) : Attribute
{
    /// <summary>The property or field whose value <c>GetConfig</c> writes for the parameter.</summary>
    public string Member { get; } = member;
}

/// <summary>
/// On an optional constructor parameter: left out of the config; <c>FromConfig</c> passes its default.
/// </summary>
[AttributeUsage(AttributeTargets.Parameter, Inherited = false, AllowMultiple = false)]
public sealed class ConfigIgnoreAttribute : Attribute;

/// <summary>
/// Picks the constructor the generator reads the config from, when a type has several public ones
/// (by default, the public constructor with the most parameters).
/// </summary>
[AttributeUsage(AttributeTargets.Constructor, Inherited = false, AllowMultiple = false)]
public sealed class ConfigConstructorAttribute : Attribute;

/// <summary>
/// On a field of type <see cref="Layers.Variable"/> or <see cref="Layers.Layer"/>: not listed in the
/// type's tracked fields (a reference to a weight or layer owned elsewhere).
/// </summary>
[AttributeUsage(AttributeTargets.Field, Inherited = false, AllowMultiple = false)]
public sealed class NotTrackedAttribute : Attribute;

/// <summary>
/// On a class used as a config value (an initializer, a regularizer): the static class that writes it
/// as Keras' <c>{class_name, config}</c> and reads it back. The converter has
/// <c>public static JsonNode? Write(T? value)</c> and <c>public static T Read(JsonNode? node, string key)</c>.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = true, AllowMultiple = false)]
public sealed class ConfigConverterAttribute(Type converterType) : Attribute
{
    /// <summary>The type with the static <c>Write</c>/<c>Read</c> methods used for values of the marked type.</summary>
    public Type ConverterType { get; } = converterType;
}
