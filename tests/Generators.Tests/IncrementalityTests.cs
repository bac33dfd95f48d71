using System.Collections;
using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Layerwise.Generators.Tests;

/// <summary>
/// The pipeline's tracked steps stay cached when nothing relevant changes, and their outputs hold
/// no Roslyn objects (symbols, syntax, compilations), which would defeat the cache.
/// </summary>
public class IncrementalityTests
{
    // The spec steps: what is emitted. The steps before them (PartialClasses, AttributedTypes, DeclarationShape)
    // hold syntax and a weak compilation handle by design; their comparers decide what is read again.
    static readonly string[] TrackedSteps = [TrackingNames.Specs, TrackingNames.SpecsFound];

    const string Unrelated = """
        namespace Sample.Other;
        public static class Helper { public static int Twice(int x) => 2 * x; }
        """;

    static CSharpCompilation Initial() => GeneratorHarness.Compile("Sample", TestSources.CustomDense, TestSources.SubclassedModel, Unrelated);

    static IEnumerable<(string Step, IncrementalStepRunReason Reason)> Reasons(GeneratorDriverRunResult result) =>
        result.Results.Single().TrackedSteps
            .Where(s => TrackedSteps.Contains(s.Key))
            .SelectMany(s => s.Value.SelectMany(run => run.Outputs.Select(o => (s.Key, o.Reason))));

    static void AssertAllCachedOrUnchanged(GeneratorDriverRunResult result)
    {
        var reasons = Reasons(result).ToList();
        Assert.NotEmpty(reasons);
        var bad = reasons.Where(r => r.Reason is not (IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged)).ToList();
        Assert.True(bad.Count == 0, "steps re-ran: " + string.Join(", ", bad));
        // Every output step was skipped: nothing was re-emitted.
        var outputs = result.Results.Single().TrackedOutputSteps.SelectMany(s => s.Value).SelectMany(r => r.Outputs);
        Assert.All(outputs, o => Assert.Equal(IncrementalStepRunReason.Cached, o.Reason));
    }

    [Fact]
    public void A_second_run_on_the_same_compilation_is_entirely_cached()
    {
        var compilation = Initial();
        var (driver, _, _) = GeneratorHarness.Run(compilation);
        var (_, _, second) = GeneratorHarness.Run(compilation, driver);
        Assert.All(Reasons(second), r => Assert.Equal(IncrementalStepRunReason.Cached, r.Reason));
        AssertAllCachedOrUnchanged(second);
    }

    [Fact]
    public void An_edit_in_an_unrelated_file_leaves_every_step_cached()
    {
        var compilation = Initial();
        var (driver, _, _) = GeneratorHarness.Run(compilation);
        var oldTree = compilation.SyntaxTrees.Single(t => t.ToString().Contains("class Helper"));
        var newTree = oldTree.WithChangedText(oldTree.GetText().Replace(oldTree.ToString().IndexOf("2 * x", StringComparison.Ordinal), 5, "x + x"));
        var (_, _, second) = GeneratorHarness.Run(compilation.ReplaceSyntaxTree(oldTree, newTree), driver);
        AssertAllCachedOrUnchanged(second);
    }

    [Fact]
    public void A_whitespace_edit_in_the_layer_file_gives_unchanged_specs()
    {
        var compilation = Initial();
        var (driver, _, _) = GeneratorHarness.Run(compilation);
        var oldTree = compilation.SyntaxTrees.Single(t => t.ToString().Contains("class CustomDense"));
        var text = oldTree.ToString().Replace("public int Units { get; }", "public int Units   {  get;  }\n\n");
        var (_, _, second) = GeneratorHarness.Run(compilation.ReplaceSyntaxTree(oldTree, oldTree.WithChangedText(Microsoft.CodeAnalysis.Text.SourceText.From(text))), driver);
        AssertAllCachedOrUnchanged(second);
        Assert.Contains(Reasons(second), r => r.Reason == IncrementalStepRunReason.Unchanged);
        Assert.Contains(SpecReasons(second), r => r.Type == "Classifier" && r.Reason == IncrementalStepRunReason.Cached);
    }

    static IEnumerable<(string Type, IncrementalStepRunReason Reason)> SpecReasons(GeneratorDriverRunResult result) =>
        result.Results.Single().TrackedSteps[TrackingNames.Specs]
            .SelectMany(r => r.Outputs)
            .Select(o => (((Model.LayerSpec?)o.Value)?.TypeName ?? "(none)", o.Reason));

    static GeneratorDriverRunResult RunEdited(string typeInFile, string from, string to)
    {
        var compilation = Initial();
        var (driver, _, _) = GeneratorHarness.Run(compilation);
        var oldTree = compilation.SyntaxTrees.Single(t => t.ToString().Contains(typeInFile));
        Assert.Contains(from, oldTree.ToString());
        var text = oldTree.ToString().Replace(from, to);
        return GeneratorHarness.Run(compilation.ReplaceSyntaxTree(oldTree, oldTree.WithChangedText(Microsoft.CodeAnalysis.Text.SourceText.From(text))), driver).Result;
    }

    [Fact]
    public void A_real_edit_regenerates_only_the_edited_type()
    {
        var second = RunEdited("class CustomDense", "long seed = -3,", "long seed = -3, int extra = 4,");
        Assert.Contains(("CustomDense", IncrementalStepRunReason.Modified), SpecReasons(second));
        // A new parameter is a declaration change: every spec is read again, the model's compares equal, so its file is not rewritten.
        Assert.Contains(SpecReasons(second), r => r.Type == "Classifier" && r.Reason == IncrementalStepRunReason.Unchanged);
        var emitted = second.Results.Single().TrackedOutputSteps.SelectMany(s => s.Value).SelectMany(r => r.Outputs).Select(o => o.Reason).ToList();
        Assert.Equal(1, emitted.Count(r => r == IncrementalStepRunReason.Modified));
        // What a registration needs did not change, so the assembly's registration file is not rewritten.
        var registrations = second.Results.Single().TrackedSteps[TrackingNames.AssemblyRegistrations].SelectMany(r => r.Outputs).Select(o => o.Reason);
        Assert.All(registrations, r => Assert.True(r is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, r.ToString()));
    }

    [Fact]
    public void A_body_edit_reads_only_the_edited_type_again()
    {
        // ForAttributeWithMetadataName would re-read every type here ("Unchanged"); only the edited one may run.
        var second = RunEdited("class CustomDense", "inputs.matmul(w!.Value)", "inputs.matmul(w!.Value).relu()");
        var reasons = SpecReasons(second).ToList();
        Assert.Contains(("CustomDense", IncrementalStepRunReason.Unchanged), reasons);
        Assert.Contains(("Classifier", IncrementalStepRunReason.Cached), reasons);
        Assert.DoesNotContain(reasons, r => r.Type != "CustomDense" && r.Reason != IncrementalStepRunReason.Cached);
        Assert.All(second.Results.Single().TrackedSteps[TrackingNames.DeclarationShape].SelectMany(r => r.Outputs),
            o => Assert.Equal(IncrementalStepRunReason.Unchanged, o.Reason));
    }

    [Fact]
    public void A_changed_constructor_default_reads_only_its_type_again_and_updates_its_file()
    {
        var second = RunEdited("class CustomDense", "double scale = 0.5,", "double scale = 0.25,");
        var reasons = SpecReasons(second).ToList();
        Assert.Contains(("CustomDense", IncrementalStepRunReason.Modified), reasons);
        Assert.DoesNotContain(reasons, r => r.Type != "CustomDense" && r.Reason != IncrementalStepRunReason.Cached);
        var file = second.Results.Single().GeneratedSources.Single(s => s.HintName == "Sample.Layers.CustomDense.g.cs").SourceText.ToString();
        Assert.Contains("(double)(0.25)", file);
    }

    [Fact]
    public void A_declaration_change_in_another_file_reads_every_type_again()
    {
        // A new type elsewhere may change what a name binds to, so nothing may be kept.
        var second = RunEdited("class Helper", "public static class Helper", "public sealed class Extra { }\npublic static class Helper");
        var reasons = SpecReasons(second).ToList();
        Assert.NotEmpty(reasons);
        Assert.All(reasons, r => Assert.Equal(IncrementalStepRunReason.Unchanged, r.Reason));
    }

    [Fact]
    public void Renaming_a_layer_rewrites_the_registration_file()
    {
        var compilation = Initial();
        var (driver, _, _) = GeneratorHarness.Run(compilation);
        var oldTree = compilation.SyntaxTrees.Single(t => t.ToString().Contains("class CustomDense"));
        var text = oldTree.ToString().Replace("CustomDense", "RenamedDense");
        var (_, _, second) = GeneratorHarness.Run(compilation.ReplaceSyntaxTree(oldTree, oldTree.WithChangedText(Microsoft.CodeAnalysis.Text.SourceText.From(text))), driver);
        var registrations = second.Results.Single().TrackedSteps[TrackingNames.AssemblyRegistrations].SelectMany(r => r.Outputs).Select(o => o.Reason);
        Assert.Contains(IncrementalStepRunReason.Modified, registrations);
        var file = second.Results.Single().GeneratedSources.Single(s => s.HintName == "Layerwise.LayerRegistrations.g.cs").SourceText.ToString();
        Assert.Contains("typeof(global::Sample.Layers.RenamedDense)", file);
        Assert.DoesNotContain("CustomDense", file);
    }

    [Fact]
    public void A_file_local_class_of_the_same_name_is_another_type()
    {
        // Parts are grouped by name; a file-local class named like a layer must not be taken for one of its parts.
        const string fileLocal = """
            namespace Sample.Layers;
            file partial class CustomDense { }
            """;
        var compilation = GeneratorHarness.Compile("Sample", fileLocal, TestSources.CustomDense);
        var (_, output, result) = GeneratorHarness.Run(compilation);
        Assert.Contains(result.Results.Single().GeneratedSources, s => s.HintName == "Sample.Layers.CustomDense.g.cs");
        Assert.Empty(output.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));
    }

    static readonly Type[] Forbidden = [typeof(ISymbol), typeof(Compilation), typeof(SyntaxNode), typeof(SyntaxTree), typeof(Location), typeof(SemanticModel), typeof(SyntaxToken)];

    [Fact]
    public void Pipeline_outputs_hold_no_symbols_syntax_or_compilations()
    {
        var (_, _, result) = GeneratorHarness.Run(GeneratorHarness.Compile("Sample", [.. TestSources.All.Select(s => s.Source)]));
        var values = result.Results.Single().TrackedSteps
            .Where(s => TrackedSteps.Contains(s.Key))
            .SelectMany(s => s.Value.SelectMany(run => run.Outputs.Select(o => o.Value)))
            .ToList();
        Assert.NotEmpty(values);
        foreach (var value in values) Walk(value, "spec", new HashSet<object>(ReferenceEqualityComparer.Instance));
    }

    [Fact]
    public void Spec_types_declare_no_symbol_syntax_or_compilation_members()
    {
        var seen = new HashSet<Type>();
        WalkType(typeof(Model.LayerSpec), seen);
        Assert.Contains(typeof(Model.ValueSpec), seen);
    }

    static void WalkType(Type type, HashSet<Type> seen)
    {
        if (!seen.Add(type) || type.IsPrimitive || type == typeof(string) || type.IsEnum) return;
        Assert.False(Forbidden.Any(f => f.IsAssignableFrom(type)), $"{type} is a Roslyn object");
        foreach (var field in type.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic))
        {
            WalkType(field.FieldType, seen);
            if (field.FieldType.IsArray) WalkType(field.FieldType.GetElementType()!, seen);
            foreach (var argument in field.FieldType.GetGenericArguments()) WalkType(argument, seen);
        }
    }

    static void Walk(object? value, string path, HashSet<object> seen)
    {
        if (value is null || value is string || value.GetType().IsPrimitive || value.GetType().IsEnum) return;
        Assert.False(Forbidden.Any(f => f.IsInstanceOfType(value)), $"{path} holds a {value.GetType().Name}");
        if (!value.GetType().IsValueType && !seen.Add(value)) return;
        if (value is IEnumerable items)
        {
            int i = 0;
            foreach (var item in items) Walk(item, $"{path}[{i++}]", seen);
        }
        foreach (var field in value.GetType().GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic))
            Walk(field.GetValue(value), $"{path}.{field.Name}", seen);
    }
}
