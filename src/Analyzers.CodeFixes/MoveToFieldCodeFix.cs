using System.Collections.Generic;
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

/// <summary>
/// LW2001: moves a sub-layer or weight from an auto-property into a field the tracker sees, and
/// makes the property return it: <c>public Dense Hidden { get; }</c> becomes
/// <c>readonly Dense hidden;</c> + <c>public Dense Hidden => hidden;</c>, and constructor assignments
/// to the property assign the field.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(MoveToFieldCodeFix)), Shared]
public sealed class MoveToFieldCodeFix : CodeFixProvider
{
    /// <inheritdoc/>
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(DiagnosticDescriptors.TrackedInPropertyId);

    /// <inheritdoc/>
    public override FixAllProvider GetFixAllProvider() =>
        SequentialFixAll.Create<PropertyDeclarationSyntax>(DiagnosticDescriptors.MemberNameProperty, MoveAsync);

    /// <inheritdoc/>
    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        foreach (var diagnostic in context.Diagnostics)
        {
            if (!diagnostic.Properties.TryGetValue(DiagnosticDescriptors.MemberNameProperty, out var fieldName) || fieldName is null) continue;
            if (root?.FindNode(diagnostic.Location.SourceSpan) is not PropertyDeclarationSyntax property) continue;
            if (property.Parent is not TypeDeclarationSyntax type || property.AccessorList is null) continue;
            if (type.Members.OfType<FieldDeclarationSyntax>().SelectMany(f => f.Declaration.Variables).Any(v => v.Identifier.ValueText == fieldName.TrimStart('@'))) continue;
            context.RegisterCodeFix(
                CodeAction.Create($"Hold '{property.Identifier.ValueText}' in the field '{fieldName}'",
                    c => MoveAsync(context.Document, property, fieldName, c), equivalenceKey: nameof(MoveToFieldCodeFix)),
                diagnostic);
        }
    }

    static async Task<Document> MoveAsync(Document document, PropertyDeclarationSyntax property, string fieldName, CancellationToken cancellationToken)
    {
        var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        if (root is null) return document;
        var type = (TypeDeclarationSyntax)property.Parent!;
        var accessors = property.AccessorList!.Accessors;
        bool hasSetter = accessors.Any(a => a.IsKind(SyntaxKind.SetAccessorDeclaration));
        var propertyName = property.Identifier.ValueText;

        // Constructor assignments to a get-only property now go to the field.
        var renamed = type.ReplaceNodes(
            type.Members.OfType<ConstructorDeclarationSyntax>().SelectMany(c => c.DescendantNodes().OfType<AssignmentExpressionSyntax>())
                .Where(a => TargetName(a.Left) == propertyName),
            (original, _) => original.WithLeft(Retarget(original.Left, fieldName)));
        var oldProperty = renamed.Members.OfType<PropertyDeclarationSyntax>().First(p => p.Identifier.ValueText == propertyName && p.AccessorList is not null);

        var variable = SyntaxFactory.VariableDeclarator(SyntaxFactory.Identifier(fieldName));
        if (property.Initializer is { } initializer) variable = variable.WithInitializer(initializer.WithoutTrivia());
        var modifiers = hasSetter ? SyntaxFactory.TokenList() : SyntaxFactory.TokenList(SyntaxFactory.Token(SyntaxKind.ReadOnlyKeyword));
        var field = SyntaxFactory.FieldDeclaration(SyntaxFactory.VariableDeclaration(property.Type.WithoutTrivia(), SyntaxFactory.SingletonSeparatedList(variable)))
            .WithModifiers(modifiers)
            .WithLeadingTrivia(property.GetLeadingTrivia())
            .WithAdditionalAnnotations(Formatter.Annotation);

        PropertyDeclarationSyntax newProperty;
        var fieldReference = SyntaxFactory.IdentifierName(fieldName);
        if (!hasSetter && accessors.All(a => a.IsKind(SyntaxKind.GetAccessorDeclaration)))
        {
            newProperty = oldProperty.WithAccessorList(null).WithInitializer(null)
                .WithExpressionBody(SyntaxFactory.ArrowExpressionClause(fieldReference))
                .WithSemicolonToken(SyntaxFactory.Token(SyntaxKind.SemicolonToken))
                .WithTrailingTrivia(oldProperty.GetTrailingTrivia());
        }
        else
        {
            var newAccessors = accessors.Select(a => a.WithSemicolonToken(SyntaxFactory.Token(SyntaxKind.SemicolonToken)).WithExpressionBody(
                SyntaxFactory.ArrowExpressionClause(a.IsKind(SyntaxKind.GetAccessorDeclaration)
                    ? fieldReference
                    : SyntaxFactory.AssignmentExpression(SyntaxKind.SimpleAssignmentExpression, fieldReference, SyntaxFactory.IdentifierName("value")))));
            newProperty = oldProperty.WithInitializer(null).WithSemicolonToken(default)
                .WithAccessorList(oldProperty.AccessorList!.WithAccessors(SyntaxFactory.List(newAccessors)))
                .WithTrailingTrivia(oldProperty.GetTrailingTrivia());
        }
        // The field takes the property's place (and its blank lines, comments); the property follows it.
        newProperty = newProperty.WithLeadingTrivia(property.GetLeadingTrivia().Where(t => t.IsKind(SyntaxKind.WhitespaceTrivia)))
            .WithAdditionalAnnotations(Formatter.Annotation);

        var members = renamed.Members;
        var index = members.IndexOf(oldProperty);
        members = members.RemoveAt(index).Insert(index, newProperty).Insert(index, field);
        return document.WithSyntaxRoot(root.ReplaceNode(type, renamed.WithMembers(members)));
    }

    static string? TargetName(ExpressionSyntax target) => target switch
    {
        IdentifierNameSyntax id => id.Identifier.ValueText,
        MemberAccessExpressionSyntax { Expression: ThisExpressionSyntax, Name: IdentifierNameSyntax id } => id.Identifier.ValueText,
        _ => null,
    };

    static ExpressionSyntax Retarget(ExpressionSyntax target, string fieldName) => target switch
    {
        MemberAccessExpressionSyntax m => m.WithName(SyntaxFactory.IdentifierName(fieldName).WithTriviaFrom(m.Name)),
        _ => SyntaxFactory.IdentifierName(fieldName).WithTriviaFrom(target),
    };
}
