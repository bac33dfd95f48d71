using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Layerwise.Generators.Tests;

/// <summary>
/// Generated code against baseline files (Baselines/{case}/{hint name}); set
/// LAYERWISE_UPDATE_BASELINES=1 to rewrite them. A generated file without a baseline, or a baseline
/// without a generated file, fails.
/// </summary>
public class GeneratedCodeTests
{
    public static TheoryData<string> Cases() => [.. TestSources.All.Select(c => c.Name)];

    static string Source(string name) => TestSources.All.Single(c => c.Name == name).Source;

    static string BaselineDirectory(string name, [CallerFilePath] string thisFile = "") =>
        Path.Combine(Path.GetDirectoryName(thisFile)!, "Baselines", name);

    [Theory]
    [MemberData(nameof(Cases))]
    public void Generated_code_matches_the_baselines(string name)
    {
        var (_, _, result) = GeneratorHarness.Run(GeneratorHarness.Compile("Sample", Source(name)));
        var generated = result.Results.Single().GeneratedSources.ToDictionary(s => s.HintName, s => s.SourceText.ToString());
        var directory = BaselineDirectory(name);

        if (Environment.GetEnvironmentVariable("LAYERWISE_UPDATE_BASELINES") == "1")
        {
            if (Directory.Exists(directory)) Directory.Delete(directory, recursive: true);
            Directory.CreateDirectory(directory);
            foreach (var (hint, text) in generated) File.WriteAllText(Path.Combine(directory, hint), text);
            return;
        }

        Assert.True(Directory.Exists(directory), $"No baselines for {name}: run with LAYERWISE_UPDATE_BASELINES=1.");
        var baselines = Directory.GetFiles(directory).ToDictionary(f => Path.GetFileName(f), File.ReadAllText);
        Assert.Equal(baselines.Keys.Order(StringComparer.Ordinal), generated.Keys.Order(StringComparer.Ordinal));
        foreach (var (hint, text) in generated)
            Assert.True(baselines[hint] == text, $"{hint} differs from its baseline (LAYERWISE_UPDATE_BASELINES=1 rewrites it):\n{text}");
    }

    /// <summary>
    /// Generated files turn nullable warnings off to compile faster; here the same text is compiled with them on,
    /// so the bodies are checked for nullability as if they had been written by hand.
    /// </summary>
    [Theory]
    [MemberData(nameof(Cases))]
    public void Generated_code_compiles_without_warnings_even_with_nullable_warnings_on(string name)
    {
        var (_, _, result) = GeneratorHarness.Run(GeneratorHarness.Compile("Sample", Source(name)));
        Assert.Empty(result.Diagnostics);
        var generated = result.Results.Single().GeneratedSources.Select(s => s.SourceText.ToString()).ToList();
        Assert.All(generated.Where(text => text.Contains("partial class", StringComparison.Ordinal)),
            text => Assert.Contains("#nullable disable warnings", text, StringComparison.Ordinal));
        var strict = generated.Select(text => text.Replace("#nullable disable warnings", "#nullable enable warnings", StringComparison.Ordinal));
        var compilation = GeneratorHarness.Compile("Sample", [Source(name), .. strict]);
        var problems = compilation.GetDiagnostics()
            .Where(d => d.Severity >= DiagnosticSeverity.Warning)
            .Select(d => d.ToString())
            .ToList();
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    /// <summary>
    /// A user's project with <c>GenerateDocumentationFile</c> reports CS1591 for undocumented public members and
    /// malformed or unresolved doc comments (CS1570, CS1574, ...) everywhere. Generated files must add none: every
    /// public or protected member they emit carries a doc comment (checked with CS1591 taken out of their pragma,
    /// which stays only as a guard), and those comments parse and resolve.
    /// </summary>
    [Theory]
    [MemberData(nameof(Cases))]
    public void Generated_code_is_documented_for_projects_that_generate_a_documentation_file(string name)
    {
        var (_, _, result) = GeneratorHarness.Run(GeneratorHarness.Compile("Sample", Source(name)));
        var withDocs = GeneratorHarness.ParseOptions.WithDocumentationMode(DocumentationMode.Diagnose);
        var generated = result.Results.Single().GeneratedSources
            .Select(s => CSharpSyntaxTree.ParseText(s.SourceText.ToString().Replace("CS1591, ", "", StringComparison.Ordinal),
                                                    withDocs, path: "generated/" + s.HintName))
            .ToList();
        Assert.NotEmpty(generated);
        Assert.All(generated, tree => Assert.DoesNotContain("CS1591", tree.ToString(), StringComparison.Ordinal));
        var user = CSharpSyntaxTree.ParseText(Source(name), withDocs, path: "Source0.cs");
        var compilation = GeneratorHarness.Compile("Sample").AddSyntaxTrees([user, .. generated]);

        var problems = compilation.GetDiagnostics()
            .Where(d => d.Severity >= DiagnosticSeverity.Warning && d.Location.SourceTree is { } tree && generated.Contains(tree))
            .Select(d => d.ToString())
            .ToList();
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Fact]
    public void The_generator_reports_no_diagnostics_even_for_unsupported_types()
    {
        var (_, _, result) = GeneratorHarness.Run(GeneratorHarness.Compile("Sample", TestSources.EdgeCases));
        Assert.Empty(result.Diagnostics);
        var hints = result.Results.Single().GeneratedSources.Select(s => s.HintName).ToList();
        Assert.DoesNotContain("Sample.Edge.NotPartial.g.cs", hints);
        Assert.Contains("Sample.Edge.Outer.Inner.g.cs", hints);
        Assert.Contains("GlobalLayer.g.cs", hints);
    }

    [Fact]
    public void Hint_names_are_namespace_and_type()
    {
        var (_, _, result) = GeneratorHarness.Run(GeneratorHarness.Compile("Sample", TestSources.CustomDense));
        Assert.Equal(["Sample.Layers.CustomDense.g.cs", "Layerwise.LayerRegistrations.g.cs", "Layerwise.LayerAssembly.g.cs"], result.Results.Single().GeneratedSources.Select(s => s.HintName));
        Assert.StartsWith("// <auto-generated/>", result.Results.Single().GeneratedSources[0].SourceText.ToString());
    }
}
