namespace Layerwise.Layers;

/// <summary>What a tracked field of a layer holds.</summary>
public enum TrackedFieldKind
{
    /// <summary>A <see cref="Layers.Variable"/> (a weight) the layer owns.</summary>
    Variable,
    /// <summary>A sub-layer.</summary>
    Layer,
    /// <summary>A list of sub-layers.</summary>
    LayerList,
}

/// <summary>
/// One weight or sub-layer field of a <c>[Layer]</c>/<c>[ModelConfig]</c> type, as the generator lists
/// them (declaration order, base class first): the Keras name (the weight name given to
/// <c>AddWeight</c>, or the snake_case field name), and its current value. File formats walk these to
/// save and load without reflection (Keras 3's <c>save_own_variables</c>).
/// </summary>
public readonly record struct TrackedField(string Name, string FieldName, TrackedFieldKind Kind, Variable? Variable, Layer? Layer, IReadOnlyList<Layer>? Layers)
{
    /// <summary>A field holding a weight (generated code calls it).</summary>
    /// <param name="name">The Keras name (the name given to <c>AddWeight</c>).</param>
    /// <param name="fieldName">The C# field name.</param>
    /// <param name="value">The weight; null before the layer is built.</param>
    public static TrackedField OfVariable(string name, string fieldName, Variable? value) => new(name, fieldName, TrackedFieldKind.Variable, value, null, null);

    /// <summary>A field holding a sub-layer (generated code calls it).</summary>
    /// <param name="name">The Keras name (snake_case field name).</param>
    /// <param name="fieldName">The C# field name.</param>
    /// <param name="value">The sub-layer, if set.</param>
    public static TrackedField OfLayer(string name, string fieldName, Layer? value) => new(name, fieldName, TrackedFieldKind.Layer, null, value, null);

    /// <summary>A field holding a list of sub-layers (generated code calls it).</summary>
    /// <param name="name">The Keras name (snake_case field name).</param>
    /// <param name="fieldName">The C# field name.</param>
    /// <param name="values">The sub-layers, if set.</param>
    public static TrackedField OfLayers(string name, string fieldName, IEnumerable<Layer>? values) =>
        new(name, fieldName, TrackedFieldKind.LayerList, null, null, values is null ? null : [.. values]);
}
