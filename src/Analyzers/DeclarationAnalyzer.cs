using System.Collections.Immutable;
using System.Linq;
using Layerwise.Generators.Shared;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Layerwise.Analyzers;

/// <summary>
/// The shape of a <c>[Layer]</c>/<c>[ModelConfig]</c> type, for which the generator writes nothing
/// (<see cref="LayerTypeReader.CanGenerate"/> is false) or code that cannot compile:
/// LW0006 not a Layer, LW0004 generic or nested in a generic type, LW0003 the type or a containing
/// type not partial, LW0005 not accessible to the generated module initializer.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class DeclarationAnalyzer : DiagnosticAnalyzer
{
    /// <inheritdoc/>
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(
        DiagnosticDescriptors.NotPartial, DiagnosticDescriptors.GenericType,
        DiagnosticDescriptors.InaccessibleType, DiagnosticDescriptors.NotALayer);

    /// <inheritdoc/>
    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(start =>
        {
            var types = LayerwiseTypes.From(start.Compilation);
            if (types is null) return;
            start.RegisterSymbolAction(c => Analyze(c, types), SymbolKind.NamedType);
        });
    }

    static void Analyze(SymbolAnalysisContext context, LayerwiseTypes types)
    {
        var type = (INamedTypeSymbol)context.Symbol;
        ReportContainingTypeNotPartial(context, types, type);
        var attribute = types.RegistrationAttribute(type);
        if (attribute is null) return;
        var attributeName = types.IsModelConfigAttribute(attribute) ? "ModelConfig" : "Layer";
        var location = type.Locations.FirstOrDefault(l => l.IsInSource);
        if (location is null) return;

        if (type.TypeKind != TypeKind.Class || !types.IsLayer(type))
        {
            context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.NotALayer, location, type.Name, attributeName,
                attributeName == "ModelConfig" ? "Layerwise.Models.Model" : "Layerwise.Layers.Layer"));
            return;
        }

        var containing = LayerwiseTypes.ContainingTypes(type);
        if (type.IsGenericType)
        {
            context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.GenericType, location, type.Name, "is generic"));
            return;
        }
        var genericOuter = containing.FirstOrDefault(t => t.IsGenericType);
        if (genericOuter is not null)
        {
            context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.GenericType, location, type.Name,
                $"is nested in the generic type '{genericOuter.Name}'"));
            return;
        }

        if (!LayerTypeReader.IsPartial(type))
            context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.NotPartial, location, type.Name, type.Name));

        var hidden = ModuleVisibility.FirstHidden(type);
        if (hidden is not null)
        {
            var why = SymbolEqualityComparer.Default.Equals(hidden, type)
                ? AccessibilityText(type.DeclaredAccessibility)
                : $"nested in the {AccessibilityText(hidden.DeclaredAccessibility)} type '{hidden.Name}'";
            context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.InaccessibleType, location, type.Name, why));
        }
    }

    /// <summary>
    /// LW0003 on a type that is not partial but contains (at any depth) a [Layer]/[ModelConfig] type:
    /// reported while analyzing the containing type itself, so the diagnostic is local to it.
    /// </summary>
    static void ReportContainingTypeNotPartial(SymbolAnalysisContext context, LayerwiseTypes types, INamedTypeSymbol type)
    {
        if (type.GetTypeMembers().Length == 0 || LayerTypeReader.IsPartial(type)) return;
        var nested = Nested(type).FirstOrDefault(t => types.RegistrationAttribute(t) is not null && types.IsLayer(t));
        var location = type.Locations.FirstOrDefault(l => l.IsInSource);
        if (nested is null || location is null) return;
        context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.NotPartial, location, type.Name, nested.Name));
    }

    static System.Collections.Generic.IEnumerable<INamedTypeSymbol> Nested(INamedTypeSymbol type)
    {
        foreach (var member in type.GetTypeMembers())
        {
            yield return member;
            foreach (var inner in Nested(member)) yield return inner;
        }
    }

    static string AccessibilityText(Accessibility accessibility) => accessibility switch
    {
        Accessibility.Private => "private",
        Accessibility.Protected => "protected",
        Accessibility.ProtectedAndInternal => "private protected",
        Accessibility.Public or Accessibility.Internal => "file-local",
        _ => accessibility.ToString().ToLowerInvariant(),
    };
}
