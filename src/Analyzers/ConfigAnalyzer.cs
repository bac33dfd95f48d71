using System.Collections.Immutable;
using System.Linq;
using Layerwise.Generators.Model;
using Layerwise.Generators.Shared;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Layerwise.Analyzers;

/// <summary>
/// What the generated config code would lose or fail on, read through the generator's own
/// <see cref="LayerTypeReader"/>: LW1001 a constructor argument with no member to read back,
/// LW1002 a parameter type configs cannot hold, LW1004 no constructor FromConfig can call.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class ConfigAnalyzer : DiagnosticAnalyzer
{
    /// <inheritdoc/>
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(
        DiagnosticDescriptors.ArgumentLost, DiagnosticDescriptors.UnserializableValue, DiagnosticDescriptors.NoConfigConstructor);

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
        var attribute = types.RegistrationAttribute(type);
        if (attribute is null || !LayerTypeReader.CanGenerate(type)) return;
        var spec = LayerTypeReader.Read(type, attribute, types.IsModelConfigAttribute(attribute), context.Compilation, context.CancellationToken);
        if (spec is null) return;
        var needsFromConfig = !type.IsAbstract && !LayerwiseTypes.UserDeclares(type, "FromConfig");
        var getConfigGenerated = !LayerwiseTypes.UserDeclares(type, "GetConfig");

        var constructor = LayerTypeReader.ChooseConstructor(type);
        if (constructor is null)
        {
            if (needsFromConfig)
                Report(context, DiagnosticDescriptors.NoConfigConstructor, type.Locations.FirstOrDefault(l => l.IsInSource),
                    type.Name, "any constructor: it has no public constructor (make one public, or mark one [ConfigConstructor])");
            return;
        }

        for (int i = 0; i < constructor.Parameters.Length && i < spec.Parameters.Count; i++)
        {
            var symbol = constructor.Parameters[i];
            var parameter = spec.Parameters[i];
            var location = symbol.Locations.FirstOrDefault(l => l.IsInSource);

            if (needsFromConfig && symbol.RefKind != RefKind.None)
                Report(context, DiagnosticDescriptors.NoConfigConstructor, location, type.Name,
                    $"its constructor: parameter '{symbol.Name}' is passed by reference ({symbol.RefKind.ToString().ToLowerInvariant()})");

            if (parameter.Role == ParameterRole.Ignored)
            {
                if (needsFromConfig && !symbol.HasExplicitDefaultValue)
                    Report(context, DiagnosticDescriptors.NoConfigConstructor, location, type.Name,
                        $"its constructor: parameter '{symbol.Name}' is [ConfigIgnore] but has no default value to pass (make it optional)");
                continue;
            }

            if (parameter.Value is null)
            {
                Report(context, DiagnosticDescriptors.UnserializableValue, location, symbol.Name, type.Name,
                    symbol.Type.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat));
                continue;
            }

            if (parameter.Source is null && getConfigGenerated
                && parameter.Role is ParameterRole.Value or ParameterRole.InputShape or ParameterRole.DType)
            {
                var sourceOverride = symbol.GetAttributes()
                    .FirstOrDefault(a => LayerTypeReader.HasFullName(a.AttributeClass, KnownNames.ConfigSourceAttribute))?
                    .ConstructorArguments.FirstOrDefault().Value as string;
                var memberName = sourceOverride ?? PascalCase(symbol.Name);
                var properties = ImmutableDictionary<string, string?>.Empty.Add(DiagnosticDescriptors.MemberNameProperty,
                    sourceOverride is null ? memberName : null);
                if (location is not null)
                    context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.ArgumentLost, location, properties,
                        symbol.Name, type.Name, memberName));
            }
        }
    }

    internal static string PascalCase(string name) =>
        name.Length == 0 ? name : char.ToUpperInvariant(name[0]) + name.Substring(1);

    static void Report(SymbolAnalysisContext context, DiagnosticDescriptor descriptor, Location? location, params object[] args)
    {
        if (location is not null) context.ReportDiagnostic(Diagnostic.Create(descriptor, location, args));
    }
}
