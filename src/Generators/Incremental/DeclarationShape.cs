using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Layerwise.Generators.Incremental;

/// <summary>
/// What every spec may depend on beyond its own type's files: the compilation's declarations,
/// references and options. Two shapes compare equal when no file's declarations changed
/// (<see cref="DeclarationEquivalence"/>) and references and options are the same, so a body edit
/// or a changed constructor default leaves this value cached and only the edited type is re-read.
/// Anything else (a new type, an enum member, a constant, a using, a reference) changes it, and every
/// spec is read again: a cache keyed on less would go stale when binding changes in another file.
/// </summary>
internal sealed class DeclarationShape
{
    public static readonly IEqualityComparer<DeclarationShape> Comparer = new ShapeComparer();

    readonly ImmutableArray<SyntaxTree> trees;
    readonly ImmutableArray<MetadataReference> references;
    readonly CompilationOptions options;
    readonly string? assemblyName;
    bool? hasGlobalAlias;

    public DeclarationShape(Compilation compilation)
    {
        trees = compilation.SyntaxTrees.ToImmutableArray();
        references = compilation.References.ToImmutableArray();
        options = compilation.Options;
        assemblyName = compilation.AssemblyName;
        Compilation = new CompilationHandle(compilation);
    }

    /// <summary>The compilation this shape was taken from (see <see cref="CompilationHandle"/>).</summary>
    public CompilationHandle Compilation { get; }

    /// <summary>
    /// Whether a file declares <c>global using X = ...;</c>: then an attribute written under any name
    /// may be <c>[Layer]</c>, and the syntactic filter on attribute names cannot be used.
    /// </summary>
    public bool HasGlobalAlias => hasGlobalAlias ??= trees.Any(static tree =>
        tree.GetRoot() is CompilationUnitSyntax unit
        && unit.Usings.Any(static u => u.Alias is not null && u.GlobalKeyword.RawKind != 0));

    sealed class ShapeComparer : IEqualityComparer<DeclarationShape>
    {
        public bool Equals(DeclarationShape? x, DeclarationShape? y)
        {
            if (ReferenceEquals(x, y)) return true;
            if (x is null || y is null) return false;
            if (x.assemblyName != y.assemblyName || !x.options.Equals(y.options)) return false;
            if (x.references.Length != y.references.Length || x.trees.Length != y.trees.Length) return false;
            for (int i = 0; i < x.references.Length; i++)
                if (!ReferenceEquals(x.references[i], y.references[i])) return false;
            for (int i = 0; i < x.trees.Length; i++)
                if (!DeclarationEquivalence.AreEquivalent(x.trees[i], y.trees[i], CancellationToken.None)) return false;
            return true;
        }

        public int GetHashCode(DeclarationShape shape) => shape.trees.Length;
    }
}
