using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Testing;

namespace Layerwise.Analyzers.Tests;

/// <summary>
/// Runs an analyzer (and a code fix) on test source with <c>{|LWnnnn:span|}</c> markup, fully
/// offline: an empty <c>net10.0</c> reference set (nothing to download) plus
/// Basic.Reference.Assemblies and the runtime stub.
/// </summary>
internal static class Verify<TAnalyzer> where TAnalyzer : DiagnosticAnalyzer, new()
{
    static readonly ReferenceAssemblies Offline = new("net10.0");

    /// <summary>Common usings every test source gets, so the cases stay short.</summary>
    const string Usings = "using System;\nusing System.Collections.Generic;\nusing Layerwise;\nusing Layerwise.Layers;\nusing Layerwise.Models;\n";

    /// <param name="generated">Extra files as the generator would add them (name ending in <c>.g.cs</c>).</param>
    public static Task AnalyzerAsync(string source, params (string Name, string Source)[] generated)
    {
        var test = new CSharpAnalyzerTest<TAnalyzer, DefaultVerifier> { TestCode = Usings + source };
        foreach (var (name, text) in generated) test.TestState.Sources.Add((name, text));
        Configure(test);
        return test.RunAsync();
    }

    public static Task CodeFixAsync<TCodeFix>(string source, string fixedSource, bool withUsings = true) where TCodeFix : CodeFixProvider, new()
    {
        var prefix = withUsings ? Usings : "";
        var test = new CSharpCodeFixTest<TAnalyzer, TCodeFix, DefaultVerifier> { TestCode = prefix + source, FixedCode = prefix + fixedSource };
        Configure(test);
        return test.RunAsync();
    }

    internal static void Configure<TVerifier>(AnalyzerTest<TVerifier> test) where TVerifier : IVerifier, new()
    {
        test.ReferenceAssemblies = Offline;
        test.TestState.AdditionalReferences.AddRange(Basic.Reference.Assemblies.Net100.References.All);
        test.TestState.AdditionalReferences.Add(RuntimeStub.Reference);
        test.SolutionTransforms.Add((solution, projectId) =>
        {
            var project = solution.GetProject(projectId)!;
            var options = ((CSharpCompilationOptions)project.CompilationOptions!).WithNullableContextOptions(NullableContextOptions.Enable);
            return solution.WithProjectCompilationOptions(projectId, options)
                .WithProjectParseOptions(projectId, ((CSharpParseOptions)project.ParseOptions!).WithLanguageVersion(LanguageVersion.Latest));
        });
    }
}
