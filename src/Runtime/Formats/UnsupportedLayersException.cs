namespace Layerwise.Formats;

/// <summary>
/// A model config naming layer classes Layerwise cannot create, all of them listed at once (the
/// whole config is walked, nested models included, before anything is built): Keras' own classes
/// that Layerwise does not implement, and custom classes that no loaded assembly registers.
/// </summary>
public sealed class UnsupportedLayersException : ModelFileException
{
    /// <summary>Lists every layer of a config that cannot be created, with what to do about each.</summary>
    /// <param name="filePath">The model file.</param>
    /// <param name="objectPath">Where the model config is in the file.</param>
    /// <param name="layers">The layers that cannot be created, in config order.</param>
    public UnsupportedLayersException(string filePath, string objectPath, IReadOnlyList<UnsupportedLayer> layers)
        : base(filePath, objectPath, Describe(layers))
    {
        Layers = layers;
    }

    /// <summary>Every layer of the config whose class cannot be created, in config order.</summary>
    public IReadOnlyList<UnsupportedLayer> Layers { get; }

    static string Describe(IReadOnlyList<UnsupportedLayer> layers)
    {
        var builtIn = layers.Where(l => l.IsKerasBuiltIn).ToList();
        var custom = layers.Where(l => !l.IsKerasBuiltIn).ToList();
        var parts = new List<string>();
        foreach (var group in builtIn.GroupBy(l => l.ClassName))
            parts.Add(group.Key == "Lambda"
                ? $"Keras layer 'Lambda' holds Python code, which Layerwise never runs: rewrite it as a [Layer] class ({Names(group)})."
                : $"Keras layer '{group.Key}' is not implemented in Layerwise ({Names(group)}).");
        foreach (var group in custom.GroupBy(l => (l.ClassName, l.RegisteredName)))
        {
            var registered = group.Key.RegisteredName is { } r && r != group.Key.ClassName ? $" (registered_name '{r}')" : "";
            var near = group.First().NearMatches;
            var suggestion = near.Count > 0 ? $" Did you mean: {string.Join(", ", near.Select(n => $"'{n}'"))}?" : "";
            parts.Add($"Unknown layer: '{group.Key.ClassName}'{registered}, a custom class that is not registered ({Names(group)}).{suggestion}");
        }
        var advice = custom.Count == 0 ? "" :
            " A custom layer is loaded by a .NET class of the same name marked [Layer] and partial, computing what the Python class " +
            "computes; it is registered as \"<package>><ClassName>\" when its assembly is loaded (call LayerRegistry.RegisterAssemblyOf<YourLayer>() " +
            "if no code of that assembly has run yet).";
        return $"the model uses {layers.Count} layer(s) that Layerwise cannot create: {string.Join(" ", parts)}{advice}";
    }

    static string Names(IEnumerable<UnsupportedLayer> layers) =>
        (layers.Count() == 1 ? "layer " : "layers ") + string.Join(", ", layers.Select(l => $"\"{l.LayerName}\""));
}

/// <summary>
/// One layer of a config that cannot be created: its class, registered name, layer name, whether the
/// class is Keras' own, and registered names close to a custom class's (a typo), nearest first.
/// </summary>
public sealed record UnsupportedLayer(string ClassName, string? RegisteredName, string LayerName, bool IsKerasBuiltIn)
{
    /// <summary>
    /// Registered names close to a custom class's name (a likely typo), nearest first; empty for Keras' own classes.
    /// </summary>
    public IReadOnlyList<string> NearMatches { get; init; } = [];
}
