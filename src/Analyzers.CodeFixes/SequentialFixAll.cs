using System;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;

namespace Layerwise.Analyzers.CodeFixes;

/// <summary>
/// Fix-all for fixes that rewrite a whole type (several of them in one type would conflict when
/// merged as text): marks every flagged node, then applies the fix to each in turn, finding it again
/// by its mark in the updated document.
/// </summary>
internal static class SequentialFixAll
{
    public static FixAllProvider Create<TNode>(string property, Func<Document, TNode, string, CancellationToken, Task<Document>> fix)
        where TNode : SyntaxNode =>
        FixAllProvider.Create(async (context, document, diagnostics) =>
        {
            var root = await document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
            if (root is null) return document;
            var targets = diagnostics
                .Select(d => (Node: root.FindNode(d.Location.SourceSpan) as TNode, Value: d.Properties.TryGetValue(property, out var v) ? v : null))
                .Where(t => t.Node is not null && t.Value is not null)
                .Select(t => (Node: t.Node!, Value: t.Value!, Mark: new SyntaxAnnotation()))
                .ToImmutableArray();
            var marked = root.ReplaceNodes(targets.Select(t => t.Node), (original, _) => original.WithAdditionalAnnotations(targets.First(t => t.Node == original).Mark));
            var current = document.WithSyntaxRoot(marked);
            foreach (var (_, value, mark) in targets)
            {
                var currentRoot = await current.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
                if (currentRoot?.GetAnnotatedNodes(mark).FirstOrDefault() is TNode node)
                    current = await fix(current, node, value, context.CancellationToken).ConfigureAwait(false);
            }
            return current;
        });
}
