using System.Collections.Immutable;
using System.Linq;
using Layerwise.Generators.Shared;
using Microsoft.CodeAnalysis;

namespace Layerwise.Analyzers;

/// <summary>
/// The runtime's types, resolved once per compilation (null when the compilation does not reference
/// Layerwise: then no analyzer registers anything).
/// </summary>
internal sealed class LayerwiseTypes
{
    LayerwiseTypes(INamedTypeSymbol layer, INamedTypeSymbol? model, INamedTypeSymbol? variable, INamedTypeSymbol? layerAttribute, INamedTypeSymbol? modelConfigAttribute)
    {
        Layer = layer;
        Model = model;
        Variable = variable;
        LayerAttribute = layerAttribute;
        ModelConfigAttribute = modelConfigAttribute;
    }

    public INamedTypeSymbol Layer { get; }
    public INamedTypeSymbol? Model { get; }
    public INamedTypeSymbol? Variable { get; }
    public INamedTypeSymbol? LayerAttribute { get; }
    public INamedTypeSymbol? ModelConfigAttribute { get; }

    public static LayerwiseTypes? From(Compilation compilation)
    {
        var layer = compilation.GetTypeByMetadataName(KnownNames.Layer);
        if (layer is null) return null;
        return new LayerwiseTypes(layer,
            compilation.GetTypeByMetadataName(KnownNames.Model),
            compilation.GetTypeByMetadataName(KnownNames.Variable),
            compilation.GetTypeByMetadataName(KnownNames.LayerAttribute),
            compilation.GetTypeByMetadataName(KnownNames.ModelConfigAttribute));
    }

    public bool IsLayer(ITypeSymbol? type) => DerivesFrom(type, Layer);

    public bool IsModel(ITypeSymbol? type) => Model is not null && DerivesFrom(type, Model);

    public bool IsVariable(ITypeSymbol? type) =>
        Variable is not null && SymbolEqualityComparer.Default.Equals(type?.WithNullableAnnotation(NullableAnnotation.None), Variable);

    static bool DerivesFrom(ITypeSymbol? type, INamedTypeSymbol baseType)
    {
        for (var t = type; t is not null; t = t.BaseType)
            if (SymbolEqualityComparer.Default.Equals(t.OriginalDefinition, baseType)) return true;
        return false;
    }

    /// <summary>The type's own [Layer] or [ModelConfig] (the attributes are not inherited), or null.</summary>
    public AttributeData? RegistrationAttribute(INamedTypeSymbol type) =>
        type.GetAttributes().FirstOrDefault(a =>
            a.AttributeClass is { } c
            && (SymbolEqualityComparer.Default.Equals(c, LayerAttribute) || SymbolEqualityComparer.Default.Equals(c, ModelConfigAttribute)));

    public bool IsModelConfigAttribute(AttributeData attribute) =>
        SymbolEqualityComparer.Default.Equals(attribute.AttributeClass, ModelConfigAttribute);

    /// <summary>A concrete layer or model type with no registration: what Keras reports as "Unknown layer" on load.</summary>
    public bool IsUnregisteredConcreteLayer(ITypeSymbol? type) =>
        type is INamedTypeSymbol { TypeKind: TypeKind.Class, IsAbstract: false } named
        && IsLayer(named)
        && RegistrationAttribute(named.OriginalDefinition) is null;

    /// <summary>The attribute a type should carry: ModelConfig for models, Layer otherwise.</summary>
    public string AttributeFor(ITypeSymbol type) => IsModel(type) ? "ModelConfig" : "Layer";

    /// <summary>Whether the type holds layers or weights anywhere in its shape (element, type argument, tuple item).</summary>
    public bool MentionsLayerOrVariable(ITypeSymbol type, int depth = 0)
    {
        if (depth > 6) return false;
        if (IsLayer(type) || IsVariable(type)) return true;
        switch (type)
        {
            case IArrayTypeSymbol array:
                return MentionsLayerOrVariable(array.ElementType, depth + 1);
            case INamedTypeSymbol { TypeKind: TypeKind.Delegate }:
                return false;
            case INamedTypeSymbol named:
                return named.TypeArguments.Any(t => MentionsLayerOrVariable(t, depth + 1));
            default:
                return false;
        }
    }

    /// <summary>
    /// Whether the type declares <paramref name="member"/> in code a person wrote. The generator's own
    /// output (GetConfig, FromConfig, ...) is part of the compilation the analyzers see, so the
    /// reader's "declares" (which runs before generation) is recomputed here without it.
    /// </summary>
    public static bool UserDeclares(INamedTypeSymbol type, string member) =>
        type.GetMembers(member).Any(m => !m.IsImplicitlyDeclared && m.DeclaringSyntaxReferences.Any(r => !IsGenerated(r.SyntaxTree)));

    /// <summary>Generated source: a <c>.g.cs</c> file or one that starts with an <c>&lt;auto-generated</c> comment.</summary>
    public static bool IsGenerated(SyntaxTree tree)
    {
        var path = tree.FilePath ?? "";
        if (path.EndsWith(".g.cs", System.StringComparison.OrdinalIgnoreCase) || path.EndsWith(".generated.cs", System.StringComparison.OrdinalIgnoreCase))
            return true;
        var text = tree.GetText();
        var head = text.ToString(new Microsoft.CodeAnalysis.Text.TextSpan(0, System.Math.Min(200, text.Length)));
        return head.TrimStart().StartsWith("// <auto-generated", System.StringComparison.Ordinal);
    }

    /// <summary>Whether the generator registers the type: concrete, with a constructor to call, and no FromConfig of its own.</summary>
    public static bool IsRegisteredByGenerator(INamedTypeSymbol type) =>
        !type.IsAbstract && LayerTypeReader.ChooseConstructor(type) is not null && !UserDeclares(type, "FromConfig");

    public static ImmutableArray<INamedTypeSymbol> ContainingTypes(INamedTypeSymbol type)
    {
        var builder = ImmutableArray.CreateBuilder<INamedTypeSymbol>();
        for (var outer = type.ContainingType; outer is not null; outer = outer.ContainingType) builder.Add(outer);
        return builder.ToImmutable();
    }
}
