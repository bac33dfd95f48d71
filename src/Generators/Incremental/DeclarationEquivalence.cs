using System;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Layerwise.Generators.Incremental;

/// <summary>
/// Whether two versions of a file declare the same things, so that no other type's spec can read
/// anything different: Roslyn's "top-level" equivalence (<c>SyntaxFactory.AreEquivalent(..., topLevel:
/// true)</c>: method bodies and non-constant field initializers are not compared), plus one thing it
/// compares and a spec of another type cannot see: the default value of a constructor parameter, which
/// only the declaring type's own spec reads (that type's parts are then re-read anyway, as their file
/// changed). It is written out here rather than calling Roslyn's because of that exception.
/// A file with preprocessor directives that can change meaning (<c>#nullable</c>, <c>#if</c>,
/// <c>#define</c>, ...) counts as changed: where such a directive sits relative to the declarations
/// matters, and comparing that is not worth its complexity.
/// </summary>
internal static class DeclarationEquivalence
{
    public static bool AreEquivalent(SyntaxTree before, SyntaxTree after, System.Threading.CancellationToken cancellationToken)
    {
        if (ReferenceEquals(before, after)) return true;
        if (before.FilePath != after.FilePath || !before.Options.Equals(after.Options)) return false;
        var oldRoot = before.GetRoot(cancellationToken);
        var newRoot = after.GetRoot(cancellationToken);
        if (HasMeaningfulDirectives(oldRoot) || HasMeaningfulDirectives(newRoot)) return false;
        return SameDeclarations(oldRoot, newRoot);
    }

    static bool HasMeaningfulDirectives(SyntaxNode root)
    {
        if (!root.ContainsDirectives || root is not CSharpSyntaxNode node) return root.ContainsDirectives;
        for (var directive = node.GetFirstDirective(); directive is not null; directive = directive.GetNextDirective())
        {
            switch (directive.Kind())
            {
                case SyntaxKind.RegionDirectiveTrivia:
                case SyntaxKind.EndRegionDirectiveTrivia:
                case SyntaxKind.PragmaWarningDirectiveTrivia:
                    continue;
                default:
                    return true;
            }
        }
        return false;
    }

    static bool SameDeclarations(SyntaxNode before, SyntaxNode after)
    {
        if (before.RawKind != after.RawKind) return false;
        switch (before.Kind())
        {
            // Bodies: nothing declared in them is visible to another type.
            case SyntaxKind.Block:
            case SyntaxKind.ArrowExpressionClause:
                return true;
            case SyntaxKind.EqualsValueClause when IsUnseenOutsideItsType(before) && IsUnseenOutsideItsType(after):
                return true;
        }

        var oldChildren = before.ChildNodesAndTokens();
        var newChildren = after.ChildNodesAndTokens();
        if (oldChildren.Count != newChildren.Count) return false;
        for (int i = 0; i < oldChildren.Count; i++)
        {
            var a = oldChildren[i];
            var b = newChildren[i];
            if (a.IsToken != b.IsToken) return false;
            if (a.IsToken)
            {
                var oldToken = a.AsToken();
                var newToken = b.AsToken();
                if (oldToken.RawKind != newToken.RawKind || oldToken.IsMissing != newToken.IsMissing || oldToken.Text != newToken.Text)
                    return false;
            }
            else if (!SameDeclarations(a.AsNode()!, b.AsNode()!))
                return false;
        }
        return true;
    }

    /// <summary>
    /// An initializer no other type's spec can read: a non-constant field's, or a constructor
    /// parameter's default (of a class that is not an attribute: an attribute's defaults reach every
    /// place it is applied).
    /// </summary>
    static bool IsUnseenOutsideItsType(SyntaxNode equalsValue)
    {
        switch (equalsValue.Parent)
        {
            case VariableDeclaratorSyntax { Parent: VariableDeclarationSyntax { Parent: FieldDeclarationSyntax field } }:
                return !field.Modifiers.Any(SyntaxKind.ConstKeyword);
            case ParameterSyntax { Parent: ParameterListSyntax list }:
                var owner = list.Parent switch
                {
                    ConstructorDeclarationSyntax constructor when !constructor.Modifiers.Any(SyntaxKind.StaticKeyword) => constructor.Parent,
                    TypeDeclarationSyntax primary => primary, // a primary constructor's parameter list
                    _ => null,
                };
                return owner is ClassDeclarationSyntax type
                    && !type.Identifier.ValueText.EndsWith("Attribute", StringComparison.Ordinal);
            default:
                return false;
        }
    }
}
