namespace Layerwise.Generators;

/// <summary>Names of the pipeline's tracked steps (tests check which ones re-ran).</summary>
internal static class TrackingNames
{
    /// <summary>Partial, non-generic class declarations (syntax).</summary>
    public const string PartialClasses = nameof(PartialClasses);
    /// <summary>Those declarations grouped by type, types with an attribute only (<see cref="Incremental.TypeParts"/>).</summary>
    public const string AttributedTypes = nameof(AttributedTypes);
    /// <summary>The compilation's declarations, references and options (<see cref="Incremental.DeclarationShape"/>).</summary>
    public const string DeclarationShape = nameof(DeclarationShape);
    /// <summary>One spec (or null) per attributed type.</summary>
    public const string Specs = nameof(Specs);
    /// <summary>The non-null specs: one generated file each.</summary>
    public const string SpecsFound = nameof(SpecsFound);
    public const string AssemblyMarker = nameof(AssemblyMarker);
    public const string AssemblyRegistrations = nameof(AssemblyRegistrations);
    public const string ReferencedLayerAssemblies = nameof(ReferencedLayerAssemblies);
}
