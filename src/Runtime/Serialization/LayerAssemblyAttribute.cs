namespace Layerwise.Serialization;

/// <summary>
/// Marks an assembly whose <c>[Layer]</c> or <c>[ModelConfig]</c> types register themselves in
/// <see cref="LayerRegistry"/> from module initializers. The source generator writes it; assemblies
/// that reference a marked one get a generated module initializer that runs the marked assembly's,
/// so its types are registered before <c>Model.Load</c> even if no code of it has run yet.
/// </summary>
[AttributeUsage(AttributeTargets.Assembly, AllowMultiple = false)]
public sealed class LayerAssemblyAttribute : Attribute;
