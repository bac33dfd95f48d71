using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Linq;
using Layerwise.Generators.Shared;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Layerwise.Analyzers;

/// <summary>
/// LW1003: two registered types of one compilation share a registered name (<c>"package&gt;Name"</c>,
/// computed by the generator's <see cref="LayerTypeReader"/>). Reported on each of them, at the end
/// of the compilation.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class DuplicateRegistrationAnalyzer : DiagnosticAnalyzer
{
    /// <inheritdoc/>
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
        ImmutableArray.Create(DiagnosticDescriptors.DuplicateRegistration);

    /// <inheritdoc/>
    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(start =>
        {
            var types = LayerwiseTypes.From(start.Compilation);
            if (types is null) return;
            var registered = new ConcurrentBag<(string Name, INamedTypeSymbol Type)>();
            start.RegisterSymbolAction(c =>
            {
                var type = (INamedTypeSymbol)c.Symbol;
                var attribute = types.RegistrationAttribute(type);
                if (attribute is null || !LayerTypeReader.CanGenerate(type)) return;
                var spec = LayerTypeReader.Read(type, attribute, types.IsModelConfigAttribute(attribute), c.Compilation, c.CancellationToken);
                // The generator registers only concrete types it can write FromConfig for.
                if (spec is null || !LayerwiseTypes.IsRegisteredByGenerator(type)) return;
                registered.Add((spec.RegisteredName, type));
            }, SymbolKind.NamedType);
            start.RegisterCompilationEndAction(end =>
            {
                foreach (var group in registered.GroupBy(r => r.Name).Where(g => g.Count() > 1))
                {
                    var ordered = group.OrderBy(r => r.Type.ToDisplayString()).ToList();
                    for (int i = 0; i < ordered.Count; i++)
                    {
                        var other = ordered[i == 0 ? 1 : 0].Type;
                        var location = ordered[i].Type.Locations.FirstOrDefault(l => l.IsInSource);
                        if (location is null) continue;
                        end.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.DuplicateRegistration, location,
                            ordered[i].Type.ToDisplayString(), group.Key, other.ToDisplayString()));
                    }
                }
            });
        });
    }
}
