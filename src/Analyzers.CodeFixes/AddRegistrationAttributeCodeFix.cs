using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Formatting;

namespace Layerwise.Analyzers.CodeFixes;

/// <summary>LW0001: adds <c>[Layer]</c> (or <c>[ModelConfig]</c> for a model) and makes the class partial.</summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(AddRegistrationAttributeCodeFix)), Shared]
public sealed class AddRegistrationAttributeCodeFix : CodeFixProvider
{
    /// <inheritdoc/>
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(DiagnosticDescriptors.UnregisteredTypeId);

    /// <inheritdoc/>
    public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    /// <inheritdoc/>
    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        foreach (var diagnostic in context.Diagnostics)
        {
            if (root?.FindNode(diagnostic.Location.SourceSpan) is not ClassDeclarationSyntax declaration) continue;
            diagnostic.Properties.TryGetValue(DiagnosticDescriptors.AttributeProperty, out var attribute);
            attribute ??= "Layer";
            context.RegisterCodeFix(
                CodeAction.Create($"Add [{attribute}] and make '{declaration.Identifier.ValueText}' partial",
                    c => AddAttributeAsync(context.Document, declaration, attribute, c),
                    equivalenceKey: "AddRegistration" + attribute),
                diagnostic);
        }
    }

    static async Task<Document> AddAttributeAsync(Document document, ClassDeclarationSyntax declaration, string attribute, CancellationToken cancellationToken)
    {
        var root = (CompilationUnitSyntax?)await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        if (root is null) return document;
        var attributeList = SyntaxFactory.AttributeList(SyntaxFactory.SingletonSeparatedList(SyntaxFactory.Attribute(SyntaxFactory.IdentifierName(attribute))));
        var newLine = root.DescendantTrivia().FirstOrDefault(t => t.IsKind(SyntaxKind.EndOfLineTrivia));
        if (newLine == default) newLine = SyntaxFactory.ElasticLineFeed;
        var updated = declaration;
        if (declaration.AttributeLists.Count == 0)
        {
            // The attribute takes the declaration's leading trivia (indentation, doc comment).
            updated = updated.WithoutLeadingTrivia()
                .AddAttributeLists(attributeList.WithLeadingTrivia(declaration.GetLeadingTrivia()).WithTrailingTrivia(newLine))
                .WithAdditionalAnnotations(Formatter.Annotation);
        }
        else
        {
            updated = updated.AddAttributeLists(attributeList).WithAdditionalAnnotations(Formatter.Annotation);
        }
        updated = MakePartialCodeFix.WithPartial(updated);
        var newRoot = root.ReplaceNode(declaration, updated);
        if (!ImportsLayerwise((CompilationUnitSyntax)newRoot, declaration))
            newRoot = ((CompilationUnitSyntax)newRoot).AddUsings(SyntaxFactory.UsingDirective(SyntaxFactory.IdentifierName("Layerwise")).WithAdditionalAnnotations(Formatter.Annotation));
        return document.WithSyntaxRoot(newRoot);
    }

    /// <summary>Whether <c>Layerwise.LayerAttribute</c> resolves by its short name already (a using, or a namespace inside Layerwise).</summary>
    static bool ImportsLayerwise(CompilationUnitSyntax root, ClassDeclarationSyntax declaration) =>
        root.Usings.Any(u => u.Alias is null && u.StaticKeyword.IsKind(SyntaxKind.None) && u.Name?.ToString() == "Layerwise")
        || declaration.Ancestors().OfType<BaseNamespaceDeclarationSyntax>().Any(n =>
            n.Name.ToString() == "Layerwise" || n.Name.ToString().StartsWith("Layerwise.", System.StringComparison.Ordinal)
            || n.Usings.Any(u => u.Name?.ToString() == "Layerwise"));
}
