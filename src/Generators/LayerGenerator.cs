using Layerwise.Generators.Incremental;
using Layerwise.Generators.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Layerwise.Generators;

/// <summary>
/// Writes, for each partial <c>[Layer]</c> and <c>[ModelConfig]</c> class: <c>GetConfig()</c>, a static
/// <c>FromConfig(config)</c>, the list of its weight and sub-layer fields, and its registration in
/// <c>LayerRegistry</c> (a module initializer). This file holds only the pipeline; reading is in
/// <c>LayerGenerator.Parser.cs</c> (and <c>Shared/</c>, which the analyzers use too), writing in
/// <c>LayerGenerator.Emitter.cs</c>.
/// </summary>
/// <remarks>
/// A type's spec is read again only when one of its own files changed or the compilation's
/// declarations did (<see cref="DeclarationShape"/>): an edit inside a method body or a constructor's
/// default value re-reads the edited type alone. Roslyn's <c>ForAttributeWithMetadataName</c> would
/// re-run the reader for every type on every keystroke (docs/generator.md, "Incrementality").
/// </remarks>
[Generator(LanguageNames.CSharp)]
public sealed partial class LayerGenerator : IIncrementalGenerator
{
    /// <inheritdoc/>
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        // Syntax only: re-run for edited files alone.
        var partialClasses = context.SyntaxProvider
            .CreateSyntaxProvider(
                predicate: static (node, _) => TypeParts.IsCandidate(node),
                transform: static (context, _) => (ClassDeclarationSyntax)context.Node)
            .WithTrackingName(TrackingNames.PartialClasses);

        var types = partialClasses.Collect()
            .Combine(context.CompilationProvider)
            .SelectMany(static (pair, cancellationToken) => TypeParts.Group(pair.Left, pair.Right, cancellationToken))
            .WithComparer(TypeParts.Comparer)
            .WithTrackingName(TrackingNames.AttributedTypes);

        var shape = context.CompilationProvider
            .Select(static (compilation, _) => new DeclarationShape(compilation))
            .WithComparer(DeclarationShape.Comparer)
            .WithTrackingName(TrackingNames.DeclarationShape);

        var specs = types.Combine(shape)
            .Select(static (pair, cancellationToken) => Parse(pair.Left, pair.Right, cancellationToken))
            .WithTrackingName(TrackingNames.Specs)
            .Where(static spec => spec is not null)
            .WithTrackingName(TrackingNames.SpecsFound);

        context.RegisterSourceOutput(specs, static (context, spec) => Emit(context, spec!));
        InitializeAssemblyRegistration(context, specs, shape);
    }

    static void Emit(SourceProductionContext context, LayerSpec spec) =>
        context.AddSource(spec.HintName, Emitter.Write(spec, context.CancellationToken));
}
