using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace Layerwise.Analyzers;

/// <summary>
/// LW0001: a concrete Layer/Model subclass without [Layer]/[ModelConfig] (reported on the type).
/// LW0002: such a layer put into a model (constructor argument or <c>Add</c>) that code of the same
/// type saves with <c>Save(...)</c>: a local saved in the same method, or a field or property saved in
/// any method of the type (reported where it is put in; this also covers types from other assemblies).
/// For functional models, a layer called on a symbolic tensor (<c>layer.Call(x)</c>) in the method
/// that creates a functional model counts as put into it: following which calls reach the model's
/// outputs would need data flow, and a layer called there but left out of the graph is rare.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class RegistrationAnalyzer : DiagnosticAnalyzer
{
    /// <inheritdoc/>
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
        ImmutableArray.Create(DiagnosticDescriptors.UnregisteredType, DiagnosticDescriptors.UnregisteredTypeSaved);

    /// <inheritdoc/>
    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(start =>
        {
            var types = LayerwiseTypes.From(start.Compilation);
            if (types is null) return;
            start.RegisterSymbolAction(c => AnalyzeType(c, types), SymbolKind.NamedType);
            start.RegisterSymbolStartAction(symbol => AnalyzeModelsOf(symbol, types), SymbolKind.NamedType);
        });
    }

    static void AnalyzeType(SymbolAnalysisContext context, LayerwiseTypes types)
    {
        var type = (INamedTypeSymbol)context.Symbol;
        if (type.IsImplicitlyDeclared || !types.IsUnregisteredConcreteLayer(type)) return;
        // A generic type cannot be registered at all (LW0004 says why when the attribute is added).
        if (type.IsGenericType || LayerwiseTypes.ContainingTypes(type).Any(t => t.IsGenericType)) return;
        var attribute = types.AttributeFor(type);
        var properties = ImmutableDictionary<string, string?>.Empty.Add(DiagnosticDescriptors.AttributeProperty, attribute);
        foreach (var location in type.Locations.Where(l => l.IsInSource).Take(1))
            context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.UnregisteredType, location, properties,
                type.Name, attribute == "ModelConfig" ? "Model" : "Layer", attribute));
    }

    /// <summary>
    /// Collects, over all method bodies of one type, what goes into which model (a local, or a field
    /// or property of the type) and which models are saved; reports at the end of the type.
    /// </summary>
    static void AnalyzeModelsOf(SymbolStartAnalysisContext start, LayerwiseTypes types)
    {
        var puts = new List<(ISymbol Model, IOperation Layer)>();
        var saved = new HashSet<ISymbol>(SymbolEqualityComparer.Default);
        var functionalModels = new List<(ISymbol Method, ISymbol Model)>();
        var symbolicCalls = new List<(ISymbol Method, IOperation Layer)>();
        var gate = new object();

        start.RegisterOperationAction(c =>
        {
            var creation = (IObjectCreationOperation)c.Operation;
            if (!types.IsModel(creation.Type)) return;
            var model = AssignedSymbol(creation);
            if (model is null) return;
            lock (gate)
            {
                foreach (var argument in creation.Arguments)
                    foreach (var layer in LayerExpressions(argument.Value))
                        puts.Add((model, layer));
                if (creation.Constructor is { } constructor && constructor.Parameters.Any(p => IsSymbolicTensorType(p.Type)))
                    functionalModels.Add((c.ContainingSymbol, model));
            }
        }, OperationKind.ObjectCreation);

        start.RegisterOperationAction(c =>
        {
            var invocation = (IInvocationOperation)c.Operation;
            var method = invocation.TargetMethod;
            var receiver = invocation.Instance
                ?? (method.IsExtensionMethod && invocation.Arguments.Length > 0 ? invocation.Arguments[0].Value : null);
            if (method.Name == "Call" && invocation.Instance is { } calledLayer && types.IsLayer(Unwrap(calledLayer).Type) && IsSymbolicTensorType(method.ReturnType))
            {
                lock (gate) symbolicCalls.Add((c.ContainingSymbol, Unwrap(calledLayer)));
                return;
            }
            if (receiver is null || !types.IsModel(Unwrap(receiver).Type)) return;
            var model = ReferencedSymbol(Unwrap(receiver));
            if (model is null) return;
            lock (gate)
            {
                if (method.Name == "Save") saved.Add(model);
                else if (method.Name == "Add")
                    foreach (var argument in invocation.Arguments.Where(a => !ReferenceEquals(a.Value, receiver)))
                        foreach (var layer in LayerExpressions(argument.Value))
                            puts.Add((model, layer));
            }
        }, OperationKind.Invocation);

        start.RegisterSymbolEndAction(c =>
        {
            lock (gate)
            {
                foreach (var (method, model) in functionalModels)
                    foreach (var (callMethod, layer) in symbolicCalls)
                        if (SymbolEqualityComparer.Default.Equals(method, callMethod)) puts.Add((model, layer));
                foreach (var (model, layer) in puts.Distinct())
                {
                    if (!saved.Contains(model)) continue;
                    var type = layer.Type;
                    if (type is null || !types.IsUnregisteredConcreteLayer(type)) continue;
                    c.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.UnregisteredTypeSaved, layer.Syntax.GetLocation(),
                        type.Name, types.AttributeFor(type), model.Name));
                }
            }
        });
    }

    /// <summary><c>KerasTensor</c>, or a collection of them (a functional model's inputs and outputs).</summary>
    static bool IsSymbolicTensorType(ITypeSymbol type)
    {
        if (type is IArrayTypeSymbol array) type = array.ElementType;
        else if (type is INamedTypeSymbol { IsGenericType: true } generic && generic.TypeArguments.Length == 1) type = generic.TypeArguments[0];
        return type.Name == "KerasTensor" && type.ContainingNamespace?.ToDisplayString() == "Layerwise.Layers";
    }

    static IOperation Unwrap(IOperation operation)
    {
        while (operation is IConversionOperation conversion) operation = conversion.Operand;
        return operation;
    }

    /// <summary>The layer expressions in an argument: itself, or the items of an array or collection expression.</summary>
    static IEnumerable<IOperation> LayerExpressions(IOperation value)
    {
        value = Unwrap(value);
        switch (value)
        {
            case IArrayCreationOperation { Initializer: { } initializer }:
                foreach (var item in initializer.ElementValues) yield return Unwrap(item);
                break;
            case ICollectionExpressionOperation collection:
                foreach (var item in collection.Elements) yield return Unwrap(item);
                break;
            default:
                yield return value;
                break;
        }
    }

    static ISymbol? ReferencedSymbol(IOperation operation) => operation switch
    {
        ILocalReferenceOperation l => l.Local,
        IFieldReferenceOperation f => f.Field,
        IParameterReferenceOperation p => p.Parameter,
        IPropertyReferenceOperation p => p.Property,
        _ => null,
    };

    /// <summary>The local, field or property a new model is stored in (<c>var model = new Sequential(...)</c>).</summary>
    static ISymbol? AssignedSymbol(IOperation creation)
    {
        var parent = creation.Parent;
        while (parent is IConversionOperation) parent = parent.Parent;
        return parent switch
        {
            IVariableInitializerOperation { Parent: IVariableDeclaratorOperation declarator } => declarator.Symbol,
            ISimpleAssignmentOperation assignment => ReferencedSymbol(Unwrap(assignment.Target)),
            IFieldInitializerOperation field => field.InitializedFields.FirstOrDefault(),
            IPropertyInitializerOperation property => property.InitializedProperties.FirstOrDefault(),
            _ => null,
        };
    }
}
