using System.Collections.Immutable;
using System.Linq;
using Layerwise.Generators.Model;
using Layerwise.Generators.Shared;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace Layerwise.Analyzers;

/// <summary>
/// Weights and sub-layers the generated tracking cannot see, which silently go missing from saved
/// files: LW2001 held in an auto-property, LW2002 held in a dictionary, tuple or other shape the
/// tracker does not list (or in a local that a lambda captures), LW2003 created outside the
/// constructor and Build.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class TrackingAnalyzer : DiagnosticAnalyzer
{
    /// <inheritdoc/>
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(
        DiagnosticDescriptors.TrackedInProperty, DiagnosticDescriptors.UntrackedCollection, DiagnosticDescriptors.CreatedOutsideBuild);

    /// <inheritdoc/>
    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(start =>
        {
            var types = LayerwiseTypes.From(start.Compilation);
            if (types is null) return;
            start.RegisterSymbolAction(c => AnalyzeMembers(c, types), SymbolKind.NamedType);
            start.RegisterOperationAction(c => AnalyzeCreation(c, types), OperationKind.ObjectCreation, OperationKind.Invocation);
            start.RegisterOperationAction(c => AnalyzeCapture(c, types), OperationKind.AnonymousFunction, OperationKind.LocalFunction);
        });
    }

    static bool IsTrackedType(INamedTypeSymbol type, LayerwiseTypes types) =>
        types.RegistrationAttribute(type) is not null && LayerTypeReader.CanGenerate(type);

    static bool NotTracked(ISymbol symbol) =>
        symbol.GetAttributes().Any(a => LayerTypeReader.HasFullName(a.AttributeClass, KnownNames.NotTrackedAttribute));

    /// <summary>LW2001 and the field/property part of LW2002.</summary>
    static void AnalyzeMembers(SymbolAnalysisContext context, LayerwiseTypes types)
    {
        var type = (INamedTypeSymbol)context.Symbol;
        if (!IsTrackedType(type, types)) return;
        foreach (var field in type.GetMembers().OfType<IFieldSymbol>())
        {
            if (field.IsStatic || field.IsConst || NotTracked(field)) continue;
            var property = field.AssociatedSymbol as IPropertySymbol;
            var location = (property ?? (ISymbol)field).Locations.FirstOrDefault(l => l.IsInSource);
            if (location is null) continue;
            var kind = LayerTypeReader.TrackedKindOf(field.Type);
            if (property is not null && kind is not null)
            {
                var properties = ImmutableDictionary<string, string?>.Empty.Add(DiagnosticDescriptors.MemberNameProperty, CamelCase(property.Name));
                context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.TrackedInProperty, location, properties,
                    type.Name, KindText(kind.Value), property.Name));
            }
            else if (kind is null && types.MentionsLayerOrVariable(field.Type))
            {
                var what = property is not null ? $"Auto-property '{property.Name}'" : $"Field '{field.Name}'";
                context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.UntrackedCollection, location,
                    what, type.Name, "layers or weights", "type " + field.Type.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat)));
            }
        }
    }

    static string KindText(TrackedKind kind) => kind switch
    {
        TrackedKind.Variable => "weight",
        TrackedKind.Layer => "sub-layer",
        _ => "list of sub-layers",
    };

    internal static string CamelCase(string name)
    {
        var camel = name.Length == 0 ? name : char.ToLowerInvariant(name[0]) + name.Substring(1);
        return SyntaxFacts.GetKeywordKind(camel) != SyntaxKind.None ? "@" + camel : camel;
    }

    /// <summary>LW2002 for locals: a local of a [Layer] type's constructor or Build, holding layers, captured by a lambda.</summary>
    static void AnalyzeCapture(OperationAnalysisContext context, LayerwiseTypes types)
    {
        if (context.ContainingSymbol is not IMethodSymbol method || !IsConstructionMethod(method, types)) return;
        if (method.ContainingType is not { } type || !IsTrackedType(type, types)) return;
        // Report the outermost lambda only.
        for (var parent = context.Operation.Parent; parent is not null; parent = parent.Parent)
            if (parent is IAnonymousFunctionOperation or ILocalFunctionOperation) return;
        var reported = new System.Collections.Generic.HashSet<ILocalSymbol>(SymbolEqualityComparer.Default);
        foreach (var reference in context.Operation.Descendants().OfType<ILocalReferenceOperation>())
        {
            var local = reference.Local;
            if (!types.MentionsLayerOrVariable(local.Type) || !reported.Add(local)) continue;
            // Declared inside the lambda: not a capture.
            var declaration = local.DeclaringSyntaxReferences.FirstOrDefault()?.GetSyntax(context.CancellationToken);
            if (declaration is null || context.Operation.Syntax.Span.Contains(declaration.Span)) continue;
            if (EscapesToMember(context.Operation, local)) continue;
            var location = declaration is VariableDeclaratorSyntax v ? v.Identifier.GetLocation() : declaration.GetLocation();
            context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.UntrackedCollection, location,
                $"Local '{local.Name}'", type.Name, "layers", "captured by a lambda, stored in no field"));
        }
    }

    /// <summary>
    /// Whether the method also stores the local where the tracker sees it: assigned to a field or
    /// property, or passed to a method of this object or of a member (<c>TrackLayer(x)</c>,
    /// <c>this.layers.AddRange(x)</c>), outside any lambda.
    /// </summary>
    static bool EscapesToMember(IOperation lambda, ILocalSymbol local)
    {
        var root = lambda;
        while (root.Parent is not null) root = root.Parent;
        foreach (var reference in root.Descendants().OfType<ILocalReferenceOperation>())
        {
            if (!SymbolEqualityComparer.Default.Equals(reference.Local, local)) continue;
            IOperation value = reference;
            while (value.Parent is IConversionOperation) value = value.Parent;
            switch (value.Parent)
            {
                case ISimpleAssignmentOperation assignment when ReferenceEquals(assignment.Value, value)
                    && assignment.Target is IFieldReferenceOperation or IPropertyReferenceOperation:
                    return true;
                case IArgumentOperation { Parent: IInvocationOperation invocation }
                    when invocation.Instance is null or IInstanceReferenceOperation or IFieldReferenceOperation or IPropertyReferenceOperation:
                    return true;
            }
        }
        return false;
    }

    /// <summary>LW2003: <c>new SomeLayer(...)</c> or <c>AddWeight(...)</c> in a layer's method other than its constructor or Build.</summary>
    static void AnalyzeCreation(OperationAnalysisContext context, LayerwiseTypes types)
    {
        string what;
        if (context.Operation is IObjectCreationOperation creation)
        {
            if (!types.IsLayer(creation.Type)) return;
            what = $"Layer '{creation.Type!.Name}'";
        }
        else if (context.Operation is IInvocationOperation invocation)
        {
            var target = invocation.TargetMethod;
            if (target.Name != "AddWeight" || !SymbolEqualityComparer.Default.Equals(target.ContainingType, types.Layer)) return;
            var name = invocation.Arguments.FirstOrDefault(a => a.Parameter?.Name == "name")?.Value.ConstantValue;
            what = name is { HasValue: true, Value: string s } ? $"Weight '{s}'" : "A weight";
        }
        else return;

        if (context.ContainingSymbol is not IMethodSymbol method || method.IsStatic) return;
        if (!types.IsLayer(method.ContainingType) || IsConstructionMethod(method, types)) return;
        // Layers: only where a new one per call is surely a mistake (Call and other overrides of the
        // layer's own members, property getters); an ordinary method may build a new model on purpose.
        if (context.Operation is IObjectCreationOperation && !method.IsOverride && method.MethodKind != MethodKind.PropertyGet) return;
        if (IsCalledFromConstruction(method, types, context.CancellationToken)) return;
        context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.CreatedOutsideBuild, context.Operation.Syntax.GetLocation(),
            what, method.AssociatedSymbol?.Name ?? method.Name,
            "a new one is made on every call, trained from scratch and never saved; create it in the constructor (layers) or in Build (weights) and keep it in a field"));
    }

    /// <summary>Constructors and overrides of Layer.Build.</summary>
    static bool IsConstructionMethod(IMethodSymbol method, LayerwiseTypes types)
    {
        if (method.MethodKind == MethodKind.Constructor) return true;
        for (var m = method; m is not null; m = m.OverriddenMethod)
            if (m.Name == "Build" && SymbolEqualityComparer.Default.Equals(m.ContainingType, types.Layer)) return true;
        return false;
    }

    /// <summary>A helper (<c>MakeBlock()</c>) that the type's constructors or Build call by name.</summary>
    static bool IsCalledFromConstruction(IMethodSymbol method, LayerwiseTypes types, System.Threading.CancellationToken cancellationToken)
    {
        if (method.MethodKind != MethodKind.Ordinary) return false;
        foreach (var member in method.ContainingType.GetMembers().OfType<IMethodSymbol>())
        {
            if (!IsConstructionMethod(member, types)) continue;
            foreach (var reference in member.DeclaringSyntaxReferences)
            {
                var calls = reference.GetSyntax(cancellationToken).DescendantNodes().OfType<InvocationExpressionSyntax>();
                if (calls.Any(c => c.Expression switch
                    {
                        IdentifierNameSyntax id => id.Identifier.ValueText == method.Name,
                        MemberAccessExpressionSyntax { Expression: ThisExpressionSyntax } m => m.Name.Identifier.ValueText == method.Name,
                        _ => false,
                    }))
                    return true;
            }
        }
        return false;
    }
}
