using System.Threading;
using Layerwise.Generators.Incremental;
using Layerwise.Generators.Model;
using Layerwise.Generators.Shared;
using Microsoft.CodeAnalysis;

namespace Layerwise.Generators;

public sealed partial class LayerGenerator
{
    /// <summary>
    /// Turns a type carrying <c>[Layer]</c> or <c>[ModelConfig]</c> (on any of its parts) into a
    /// value-equatable spec; nothing of Roslyn's object model leaves here. Null for any other type.
    /// </summary>
    static LayerSpec? Parse(TypeParts parts, DeclarationShape shape, CancellationToken cancellationToken)
    {
        // Most partial classes carry other attributes; binding is skipped unless the attribute may be ours.
        if (!parts.NamesRegistrationAttribute && !parts.HasLocalAlias && !shape.HasGlobalAlias) return null;

        var compilation = CompilationHandle.Newest(parts.Compilation, shape.Compilation);
        var declaration = parts.Declarations[0];
        var model = compilation.GetSemanticModel(declaration.SyntaxTree);
        if (model.GetDeclaredSymbol(declaration, cancellationToken) is not INamedTypeSymbol type) return null;
        // As the analyzers do (LayerwiseTypes.RegistrationAttribute): the first of the two attributes.
        foreach (var attribute in type.GetAttributes())
        {
            if (LayerTypeReader.HasFullName(attribute.AttributeClass, KnownNames.LayerAttribute))
                return LayerTypeReader.Read(type, attribute, isModel: false, compilation, cancellationToken);
            if (LayerTypeReader.HasFullName(attribute.AttributeClass, KnownNames.ModelConfigAttribute))
                return LayerTypeReader.Read(type, attribute, isModel: true, compilation, cancellationToken);
        }
        return null;
    }
}
