namespace Layerwise.Generators.Shared;

/// <summary>Metadata names of the runtime types the generator and the analyzers look for.</summary>
internal static class KnownNames
{
    public const string LayerAttribute = "Layerwise.LayerAttribute";
    public const string ModelConfigAttribute = "Layerwise.ModelConfigAttribute";
    public const string ConfigKeyAttribute = "Layerwise.ConfigKeyAttribute";
    public const string ConfigSourceAttribute = "Layerwise.ConfigSourceAttribute";
    public const string ConfigIgnoreAttribute = "Layerwise.ConfigIgnoreAttribute";
    public const string ConfigConstructorAttribute = "Layerwise.ConfigConstructorAttribute";
    public const string NotTrackedAttribute = "Layerwise.NotTrackedAttribute";
    public const string ConfigConverterAttribute = "Layerwise.ConfigConverterAttribute";
    public const string Layer = "Layerwise.Layers.Layer";
    public const string Model = "Layerwise.Models.Model";
    public const string Variable = "Layerwise.Layers.Variable";
    public const string LayerAssemblyAttribute = "Layerwise.Serialization.LayerAssemblyAttribute";
}
