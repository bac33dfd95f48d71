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
/// LW1001: adds a get-only property named after the constructor parameter (<c>units</c> -&gt;
/// <c>public int Units { get; }</c>) and assigns it first thing in the constructor, so the generated
/// GetConfig can read the argument back.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(AddConfigPropertyCodeFix)), Shared]
public sealed class AddConfigPropertyCodeFix : CodeFixProvider
{
    /// <inheritdoc/>
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(DiagnosticDescriptors.ArgumentLostId);

    /// <inheritdoc/>
    public override FixAllProvider GetFixAllProvider() =>
        SequentialFixAll.Create<ParameterSyntax>(DiagnosticDescriptors.MemberNameProperty, AddPropertyAsync);

    /// <inheritdoc/>
    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        foreach (var diagnostic in context.Diagnostics)
        {
            if (!diagnostic.Properties.TryGetValue(DiagnosticDescriptors.MemberNameProperty, out var memberName) || memberName is null) continue;
            if (root?.FindNode(diagnostic.Location.SourceSpan) is not ParameterSyntax parameter) continue;
            if (parameter.Parent?.Parent is not ConstructorDeclarationSyntax constructor || constructor.Parent is not TypeDeclarationSyntax type) continue;
            if (type.Members.Any(m => DeclaredNames(m).Contains(memberName))) continue;
            context.RegisterCodeFix(
                CodeAction.Create($"Add property '{memberName}' and assign it from '{parameter.Identifier.ValueText}'",
                    c => AddPropertyAsync(context.Document, parameter, memberName, c), equivalenceKey: nameof(AddConfigPropertyCodeFix)),
                diagnostic);
        }
    }

    static System.Collections.Generic.IEnumerable<string> DeclaredNames(MemberDeclarationSyntax member) => member switch
    {
        PropertyDeclarationSyntax p => new[] { p.Identifier.ValueText },
        FieldDeclarationSyntax f => f.Declaration.Variables.Select(v => v.Identifier.ValueText),
        MethodDeclarationSyntax m => new[] { m.Identifier.ValueText },
        _ => Enumerable.Empty<string>(),
    };

    static async Task<Document> AddPropertyAsync(Document document, ParameterSyntax parameter, string memberName, CancellationToken cancellationToken)
    {
        var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        if (root is null || parameter.Type is null) return document;
        var constructor = (ConstructorDeclarationSyntax)parameter.Parent!.Parent!;
        var type = (TypeDeclarationSyntax)constructor.Parent!;

        var property = SyntaxFactory.PropertyDeclaration(parameter.Type.WithoutTrivia(), memberName)
            .AddModifiers(SyntaxFactory.Token(SyntaxKind.PublicKeyword))
            .AddAccessorListAccessors(SyntaxFactory.AccessorDeclaration(SyntaxKind.GetAccessorDeclaration).WithSemicolonToken(SyntaxFactory.Token(SyntaxKind.SemicolonToken)))
            .WithAdditionalAnnotations(Formatter.Annotation);
        var assignment = SyntaxFactory.ExpressionStatement(SyntaxFactory.AssignmentExpression(SyntaxKind.SimpleAssignmentExpression,
                SyntaxFactory.IdentifierName(memberName), SyntaxFactory.IdentifierName(parameter.Identifier.WithoutTrivia())))
            .WithAdditionalAnnotations(Formatter.Annotation);

        // Keep the parameters' order: after the assignments from earlier parameters, after their properties.
        var earlier = constructor.ParameterList.Parameters.TakeWhile(p => p != parameter).Select(p => p.Identifier.ValueText).ToList();

        ConstructorDeclarationSyntax newConstructor;
        if (constructor.Body is { } body)
        {
            int at = 0;
            for (int i = 0; i < body.Statements.Count; i++)
                if (body.Statements[i] is ExpressionStatementSyntax { Expression: AssignmentExpressionSyntax { Right: IdentifierNameSyntax right } }
                    && earlier.Contains(right.Identifier.ValueText))
                    at = i + 1;
            newConstructor = constructor.WithBody(body.WithStatements(body.Statements.Insert(at, assignment)));
        }
        else if (constructor.ExpressionBody is { } arrow)
            newConstructor = constructor.WithExpressionBody(null).WithSemicolonToken(default)
                .WithBody(SyntaxFactory.Block(assignment, SyntaxFactory.ExpressionStatement(arrow.Expression.WithoutTrivia())))
                .WithAdditionalAnnotations(Formatter.Annotation);
        else return document;

        var newType = type.ReplaceNode(constructor, newConstructor);
        // After the property of the latest earlier parameter, else after the last constructor.
        var earlierProperties = earlier.Select(n => n.Length == 0 ? n : char.ToUpperInvariant(n[0]) + n.Substring(1)).ToList();
        var anchor = newType.Members.LastOrDefault(m => m is PropertyDeclarationSyntax p && earlierProperties.Contains(p.Identifier.ValueText))
                     ?? newType.Members.LastOrDefault(m => m is ConstructorDeclarationSyntax);
        var insertAt = anchor is null ? newType.Members.Count : newType.Members.IndexOf(anchor) + 1;
        newType = newType.WithMembers(newType.Members.Insert(insertAt, property));
        return document.WithSyntaxRoot(root.ReplaceNode(type, newType));
    }
}
