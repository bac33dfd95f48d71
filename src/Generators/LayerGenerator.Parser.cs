using System.Threading;
using Layerwise.Generators.Model;
using Layerwise.Generators.Shared;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Layerwise.Generators;

public sealed partial class LayerGenerator
{
    /// <summary>The syntax test run on every attributed node: a class declared partial.</summary>
    static bool IsCandidate(SyntaxNode node) => node is ClassDeclarationSyntax;

    /// <summary>Turns the attributed symbol into a value-equatable spec; nothing of Roslyn's object model leaves here.</summary>
    static LayerSpec? Parse(GeneratorAttributeSyntaxContext context, bool isModel, CancellationToken cancellationToken)
    {
        if (context.TargetSymbol is not INamedTypeSymbol type || context.Attributes.Length == 0) return null;
        // A partial class may carry the attribute on one part only; every part is a candidate, so read it once.
        return LayerTypeReader.Read(type, context.Attributes[0], isModel, context.SemanticModel.Compilation, cancellationToken);
    }
}
