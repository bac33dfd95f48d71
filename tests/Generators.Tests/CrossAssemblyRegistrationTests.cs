using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Layerwise.Generators.Tests;

/// <summary>
/// An assembly with [Layer] types is marked, and an assembly that references it registers it at
/// start-up: the CLR runs a module initializer only when code of its module runs, so a library of
/// layers that the application never touched before Model.Load would otherwise be unknown.
/// </summary>
public class CrossAssemblyRegistrationTests
{
    const string Application = """
        namespace App;
        public static class Program { public static int Answer() => 42; }
        """;

    static MetadataReference LibraryReference(out CSharpCompilation library)
    {
        var (_, output, _) = GeneratorHarness.Run(GeneratorHarness.Compile("PluginLayers", TestSources.CustomDense));
        library = (CSharpCompilation)output;
        using var image = new MemoryStream();
        var emitted = output.Emit(image);
        Assert.True(emitted.Success, string.Join("\n", emitted.Diagnostics));
        return MetadataReference.CreateFromImage(image.ToArray());
    }

    [Fact]
    public void An_assembly_with_layers_is_marked_and_one_without_is_not()
    {
        LibraryReference(out var library);
        Assert.Contains(library.Assembly.GetAttributes(), a => a.AttributeClass?.ToDisplayString() == "Layerwise.Serialization.LayerAssemblyAttribute");

        var (_, _, result) = GeneratorHarness.Run(GeneratorHarness.Compile("App", Application));
        Assert.Empty(result.Results.Single().GeneratedSources);
    }

    [Fact]
    public void A_referencing_assembly_runs_the_referenced_registrations_at_start_up()
    {
        var plugin = LibraryReference(out _);
        var app = GeneratorHarness.Compile("App", Application).AddReferences(plugin);
        var (_, output, result) = GeneratorHarness.Run(app);

        var initializer = result.Results.Single().GeneratedSources.Single(s => s.HintName == "Layerwise.ReferencedLayerAssemblies.g.cs").SourceText.ToString();
        Assert.Contains("[global::System.Runtime.CompilerServices.ModuleInitializer]", initializer);
        Assert.Contains("RegisterReferencedAssembly(\"PluginLayers\")", initializer);
        // The application itself declares no layer, so it is not marked.
        Assert.DoesNotContain(result.Results.Single().GeneratedSources, s => s.HintName == "Layerwise.LayerAssembly.g.cs");
        var problems = output.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning).ToList();
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Fact]
    public void An_edit_elsewhere_leaves_the_referenced_list_unchanged()
    {
        var plugin = LibraryReference(out _);
        var app = GeneratorHarness.Compile("App", Application).AddReferences(plugin);
        var (driver, _, _) = GeneratorHarness.Run(app);
        var tree = app.SyntaxTrees.Single();
        var edited = app.ReplaceSyntaxTree(tree, tree.WithChangedText(Microsoft.CodeAnalysis.Text.SourceText.From(tree.ToString().Replace("42", "43"))));
        var (_, _, second) = GeneratorHarness.Run(edited, driver);
        var outputs = second.Results.Single().TrackedOutputSteps.SelectMany(s => s.Value).SelectMany(r => r.Outputs);
        Assert.All(outputs, o => Assert.Equal(IncrementalStepRunReason.Cached, o.Reason));
    }
}
