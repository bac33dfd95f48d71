namespace Layerwise.Generators;

/// <summary>Names of the pipeline's tracked steps (tests check that each one is cached).</summary>
internal static class TrackingNames
{
    public const string LayerSpecs = nameof(LayerSpecs);
    public const string ModelSpecs = nameof(ModelSpecs);
    public const string LayerSpecsFound = nameof(LayerSpecsFound);
    public const string ModelSpecsFound = nameof(ModelSpecsFound);
    public const string AssemblyMarker = nameof(AssemblyMarker);
    public const string AssemblyRegistrations = nameof(AssemblyRegistrations);
    public const string ReferencedLayerAssemblies = nameof(ReferencedLayerAssemblies);
}
