using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Text;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Layerwise.Generators.Incremental;

/// <summary>
/// The partial declarations of one class that may carry <c>[Layer]</c>/<c>[ModelConfig]</c>, found
/// from syntax alone. A spec depends on every part (members and <c>AddWeight</c> calls may be in any of
/// them), so a type's value changes when any of its files changes, and only then (or when the
/// <see cref="DeclarationShape"/> changes) is its spec read again.
/// </summary>
internal sealed class TypeParts
{
    public static readonly IEqualityComparer<TypeParts> Comparer = new PartsComparer();

    static readonly HashSet<string> RegistrationAttributeNames = new(System.StringComparer.Ordinal)
    {
        "Layer", "LayerAttribute", "ModelConfig", "ModelConfigAttribute",
    };

    TypeParts(string key, ImmutableArray<ClassDeclarationSyntax> declarations, CompilationHandle compilation)
    {
        Key = key;
        Declarations = declarations;
        Compilation = compilation;
    }

    /// <summary>The type's name as declared: namespace, containing types and the class (a file-local one also by file).</summary>
    public string Key { get; }

    /// <summary>The type's partial declarations in compilation order.</summary>
    public ImmutableArray<ClassDeclarationSyntax> Declarations { get; }

    /// <summary>The compilation these parts were found in.</summary>
    public CompilationHandle Compilation { get; }

    // The two syntactic tests below are asked only when the spec is read (an edited type), not on every run.

    /// <summary>Whether a part carries an attribute named Layer, LayerAttribute, ModelConfig or ModelConfigAttribute.</summary>
    public bool NamesRegistrationAttribute =>
        Declarations.Any(static p => p.AttributeLists.Any(static list => list.Attributes.Any(static a => RegistrationAttributeNames.Contains(SimpleName(a.Name)))));

    /// <summary>Whether a part's file declares a using alias (<c>using L = Layerwise.LayerAttribute;</c>).</summary>
    public bool HasLocalAlias => Declarations.Select(static p => p.SyntaxTree).Distinct().Any(static tree => DeclaresAlias(tree.GetRoot()));

    /// <summary>Whether a declaration can be part of a type the generator extends: a partial, non-generic class.</summary>
    public static bool IsCandidate(SyntaxNode node) =>
        node is ClassDeclarationSyntax { TypeParameterList: null } declaration
        && declaration.Modifiers.Any(SyntaxKind.PartialKeyword);

    /// <summary>Groups partial class declarations by type; types of which no part has an attribute are left out.</summary>
    public static ImmutableArray<TypeParts> Group(ImmutableArray<ClassDeclarationSyntax> declarations, Compilation compilation, CancellationToken cancellationToken)
    {
        var byKey = new Dictionary<string, List<ClassDeclarationSyntax>>(System.StringComparer.Ordinal);
        var keys = new List<string>();
        foreach (var declaration in declarations)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var key = KeyOf(declaration);
            if (key is null) continue;
            if (!byKey.TryGetValue(key, out var parts))
            {
                byKey[key] = parts = new List<ClassDeclarationSyntax>();
                keys.Add(key);
            }
            parts.Add(declaration);
        }
        keys.Sort(System.StringComparer.Ordinal);

        var handle = new CompilationHandle(compilation);
        var result = ImmutableArray.CreateBuilder<TypeParts>(keys.Count);
        foreach (var key in keys)
        {
            var parts = byKey[key];
            if (parts.Any(static p => p.AttributeLists.Count > 0)) result.Add(new TypeParts(key, parts.ToImmutableArray(), handle));
        }
        return result.ToImmutable();
    }

    /// <summary>Namespace, containing types and name (the type is not generic); null when a containing type cannot be extended (not partial, generic).</summary>
    static string? KeyOf(ClassDeclarationSyntax declaration)
    {
        var parts = new List<string> { declaration.Identifier.ValueText };
        bool fileLocal = declaration.Modifiers.Any(SyntaxKind.FileKeyword);
        for (var node = declaration.Parent; node is not null; node = node.Parent)
        {
            switch (node)
            {
                case TypeDeclarationSyntax outer:
                    if (outer.TypeParameterList is not null || !outer.Modifiers.Any(SyntaxKind.PartialKeyword)) return null;
                    fileLocal |= outer.Modifiers.Any(SyntaxKind.FileKeyword);
                    parts.Add(outer.Identifier.ValueText + "+");
                    break;
                case BaseNamespaceDeclarationSyntax ns:
                    parts.Add(DottedName(ns.Name) + ".");
                    break;
            }
        }
        var key = new StringBuilder();
        for (int i = parts.Count - 1; i >= 0; i--) key.Append(parts[i]);
        // A file-local type (or one nested in it) is its own type in each file, whatever its name.
        if (fileLocal) key.Append('@').Append(declaration.SyntaxTree.FilePath);
        return key.ToString();
    }

    static string DottedName(NameSyntax name) => name switch
    {
        QualifiedNameSyntax qualified => DottedName(qualified.Left) + "." + qualified.Right.Identifier.ValueText,
        AliasQualifiedNameSyntax alias => alias.Name.Identifier.ValueText,
        SimpleNameSyntax simple => simple.Identifier.ValueText,
        _ => name.ToString(),
    };

    static string SimpleName(NameSyntax name) => name switch
    {
        QualifiedNameSyntax qualified => qualified.Right.Identifier.ValueText,
        AliasQualifiedNameSyntax alias => alias.Name.Identifier.ValueText,
        SimpleNameSyntax simple => simple.Identifier.ValueText,
        _ => "",
    };

    static bool DeclaresAlias(SyntaxNode root) =>
        root.DescendantNodes(static n => n is CompilationUnitSyntax or BaseNamespaceDeclarationSyntax)
            .OfType<UsingDirectiveSyntax>()
            .Any(static u => u.Alias is not null);

    sealed class PartsComparer : IEqualityComparer<TypeParts>
    {
        // Same key and the same declarations in the same (unchanged) files: nothing a spec reads changed.
        public bool Equals(TypeParts? x, TypeParts? y)
        {
            if (ReferenceEquals(x, y)) return true;
            if (x is null || y is null || x.Key != y.Key || x.Declarations.Length != y.Declarations.Length) return false;
            for (int i = 0; i < x.Declarations.Length; i++)
            {
                var a = x.Declarations[i];
                var b = y.Declarations[i];
                if (!ReferenceEquals(a.SyntaxTree, b.SyntaxTree) || a.SpanStart != b.SpanStart) return false;
            }
            return true;
        }

        public int GetHashCode(TypeParts parts) => parts.Key.GetHashCode();
    }
}
