namespace Layerwise;

/// <summary>
/// Marks a partial <see cref="Layers.Layer"/> subclass whose save/load code the Layerwise generator
/// writes: <c>GetConfig()</c> (every constructor argument under its snake_case key, plus name,
/// trainable and dtype), a static <c>FromConfig(config)</c>, the list of its weight and sub-layer
/// fields, and its registration as <c>"package&gt;Name"</c> (see docs/generator.md).
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false, AllowMultiple = false)]
public sealed class LayerAttribute : Attribute
{
    /// <summary>The first half of the registered name; by default the assembly name.</summary>
    public string? Package { get; set; }

    /// <summary>The class name written to configs (<c>class_name</c>); by default the type's name.</summary>
    public string? Name { get; set; }

    /// <summary>
    /// The <c>module</c> written beside <c>class_name</c>; by default the type's namespace. The
    /// runtime's built-in layers say <c>keras.layers</c>, so that Keras resolves them by class name.
    /// </summary>
    public string? Module { get; set; }
}

/// <summary>
/// Marks a partial <see cref="Models.Model"/> subclass whose constructor arguments are its config and
/// whose sub-layers are fields (a Keras "subclassed model"). The generator writes the same code as for
/// <see cref="LayerAttribute"/>; the sub-layer fields are tracked, so their weights are the model's.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false, AllowMultiple = false)]
public sealed class ModelConfigAttribute : Attribute
{
    /// <inheritdoc cref="LayerAttribute.Package"/>
    public string? Package { get; set; }

    /// <inheritdoc cref="LayerAttribute.Name"/>
    public string? Name { get; set; }

    /// <inheritdoc cref="LayerAttribute.Module"/>
    public string? Module { get; set; }
}
