using Layerwise.Generators.Model;
using Layerwise.Generators.Shared;
using Microsoft.CodeAnalysis;

namespace Layerwise.Generators;

/// <summary>
/// Writes, for each partial <c>[Layer]</c> and <c>[ModelConfig]</c> class: <c>GetConfig()</c>, a static
/// <c>FromConfig(config)</c>, the list of its weight and sub-layer fields, and its registration in
/// <c>LayerRegistry</c> (a module initializer). This file holds only the pipeline; reading is in
/// <c>LayerGenerator.Parser.cs</c> (and <c>Shared/</c>, which the analyzers use too), writing in
/// <c>LayerGenerator.Emitter.cs</c>.
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed partial class LayerGenerator : IIncrementalGenerator
{
    /// <inheritdoc/>
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        var layers = context.SyntaxProvider
            .ForAttributeWithMetadataName(
                KnownNames.LayerAttribute,
                predicate: static (node, _) => IsCandidate(node),
                transform: static (context, cancellationToken) => Parse(context, isModel: false, cancellationToken))
            .WithTrackingName(TrackingNames.LayerSpecs)
            .Where(static spec => spec is not null)
            .WithTrackingName(TrackingNames.LayerSpecsFound);

        var models = context.SyntaxProvider
            .ForAttributeWithMetadataName(
                KnownNames.ModelConfigAttribute,
                predicate: static (node, _) => IsCandidate(node),
                transform: static (context, cancellationToken) => Parse(context, isModel: true, cancellationToken))
            .WithTrackingName(TrackingNames.ModelSpecs)
            .Where(static spec => spec is not null)
            .WithTrackingName(TrackingNames.ModelSpecsFound);

        context.RegisterSourceOutput(layers, static (context, spec) => Emit(context, spec!));
        context.RegisterSourceOutput(models, static (context, spec) => Emit(context, spec!));
        InitializeAssemblyRegistration(context, layers, models);
    }

    static void Emit(SourceProductionContext context, LayerSpec spec) =>
        context.AddSource(spec.HintName, Emitter.Write(spec, context.CancellationToken));
}
