using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Text;

namespace Layerwise.Generators.Tests;

/// <summary>
/// A driver that keeps specs across runs (only edited types are read again, unless declarations
/// changed) writes exactly what a fresh driver writes for the same compilation, after each edit of a
/// sequence chosen to reach what a cached spec could miss: an enum member or a constant in another
/// file, an AddWeight call in another part of the type, a nullable context, aliases, renames.
/// </summary>
public class IncrementalMatchesCleanRunTests
{
    const string Shared = TestSources.Usings + """
        namespace Sample.Layers;

        public enum Mode { Fast, Careful }

        public static class Defaults { public const int Units = 8; }
        """;

    const string First = TestSources.Usings + """
        namespace Sample.Layers;

        [Layer]
        public partial class First : Layer
        {
            Variable? kernel;

            public First(Mode mode = Mode.Fast, int units = Defaults.Units, double rate = 0.5, string? name = null) : base(name, true)
            {
                Mode = mode; Units = units; Rate = rate;
            }

            public Mode Mode { get; }
            public int Units { get; }
            public double Rate { get; }

            protected override void Build(long[] inputShape)
            {
                kernel = AddWeight("kernel", [inputShape[^1], Units], new GlorotUniform());
                MakeBias();
            }

            public override Tensor Call(Tensor inputs, bool training = false) => inputs.matmul(kernel!.Value);
        }
        """;

    const string FirstMore = TestSources.Usings + """
        namespace Sample.Layers;

        public partial class First
        {
            Variable? bias;

            void MakeBias() { bias = AddWeight("bias", [Units], new Zeros()); }
        }
        """;

    const string Second = TestSources.Usings + """
        namespace Sample.Layers;

        [Layer]
        public partial class Second : Layer
        {
            public Second(string? label = null, float scale = 1.5f, string? name = null) : base(name, true) { Label = label; Scale = scale; }

            public string? Label { get; }
            public float Scale { get; }

            public override Tensor Call(Tensor inputs, bool training = false) => inputs * Scale;
        }
        """;

    const string Unrelated = """
        namespace Sample.Other;
        public static class Helper { public static int Twice(int x) => 2 * x; }
        """;

    const string Aliased = TestSources.Usings + """
        using Tag = Layerwise.LayerAttribute;
        namespace Sample.Layers;

        [Tag]
        public partial class Aliased : Layer
        {
            public Aliased(int size = 3, string? name = null) : base(name, true) { Size = size; }
            public int Size { get; }
            public override Tensor Call(Tensor inputs, bool training = false) => inputs;
        }
        """;

    const string GlobalAlias = "global using GlobalTag = Layerwise.LayerAttribute;";

    const string GloballyTagged = TestSources.Usings + """
        namespace Sample.Layers;

        [GlobalTag]
        public partial class GloballyTagged : Layer
        {
            public GloballyTagged(int size = 4, string? name = null) : base(name, true) { Size = size; }
            public int Size { get; }
            public override Tensor Call(Tensor inputs, bool training = false) => inputs;
        }
        """;

    /// <summary>One step of the edit sequence: a description and the change to the compilation.</summary>
    sealed record Edit(string What, Func<CSharpCompilation, CSharpCompilation> Apply);

    static SyntaxTree Tree(CSharpCompilation compilation, string path) => compilation.SyntaxTrees.Single(t => t.FilePath == path);

    static Edit Replace(string what, string path, string from, string to) => new(what, c =>
    {
        var tree = Tree(c, path);
        var text = tree.ToString();
        Assert.True(text.Contains(from, StringComparison.Ordinal), $"{what}: '{from}' not in {path}");
        return c.ReplaceSyntaxTree(tree, tree.WithChangedText(SourceText.From(text.Replace(from, to, StringComparison.Ordinal))));
    });

    static Edit Add(string what, string path, string source) =>
        new(what, c => c.AddSyntaxTrees(CSharpSyntaxTree.ParseText(source, GeneratorHarness.ParseOptions, path: path)));

    static Edit Remove(string what, string path) => new(what, c => c.RemoveSyntaxTrees(Tree(c, path)));

    static readonly Edit[] Edits =
    [
        Replace("a body edit", "First.cs", "inputs.matmul(kernel!.Value)", "inputs.matmul(kernel!.Value).relu()"),
        Replace("a whitespace edit", "Second.cs", "public float Scale { get; }", "public float Scale  {  get;  }\n"),
        Replace("a constructor default", "First.cs", "double rate = 0.5", "double rate = 0.125"),
        Replace("an enum member in another file", "Shared.cs", "Fast, Careful", "Fast, Careful, Exact"),
        Replace("a constant in another file", "Shared.cs", "Units = 8", "Units = 16"),
        Replace("an AddWeight name in another part, in a body", "FirstMore.cs", "AddWeight(\"bias\"", "AddWeight(\"offset\""),
        Replace("an enum default", "First.cs", "Mode mode = Mode.Fast", "Mode mode = Mode.Careful"),
        Replace("a default that names a constant", "Second.cs", "float scale = 1.5f", "float scale = Defaults.Units"),
        Replace("that constant again", "Shared.cs", "Units = 16", "Units = 32"),
        Replace("a nullable context", "Second.cs", "namespace Sample.Layers;", "#nullable disable\nnamespace Sample.Layers;"),
        Replace("an unrelated body", "Unrelated.cs", "2 * x", "x + x"),
        Add("a layer under a file's alias", "Aliased.cs", Aliased),
        Add("a layer under a global alias", "GloballyTagged.cs", GloballyTagged),
        Add("the global alias", "GlobalAlias.cs", GlobalAlias),
        Replace("a renamed layer", "Second.cs", "Second", "Renamed"),
        Remove("another part of a type", "FirstMore.cs"),
        Replace("a body that no longer compiles", "First.cs", "MakeBias();", "/* MakeBias(); */"),
        Replace("a new parameter", "Aliased.cs", "int size = 3,", "int size = 3, bool wide = true,"),
    ];

    static CSharpCompilation Initial() => CSharpCompilation.Create(
        "Sample",
        new (string Path, string Source)[] { ("Shared.cs", Shared), ("First.cs", First), ("FirstMore.cs", FirstMore), ("Second.cs", Second), ("Unrelated.cs", Unrelated) }
            .Select(f => CSharpSyntaxTree.ParseText(f.Source, GeneratorHarness.ParseOptions, path: f.Path)),
        GeneratorHarness.References,
        GeneratorHarness.Compile("Options").Options);

    static SortedDictionary<string, string> Generated(GeneratorDriverRunResult result) =>
        new(result.Results.Single().GeneratedSources.ToDictionary(s => s.HintName, s => s.SourceText.ToString()), StringComparer.Ordinal);

    static void AssertSameAsFresh(CSharpCompilation compilation, GeneratorDriverRunResult incremental, string after)
    {
        var fresh = Generated(GeneratorHarness.Run(compilation).Result);
        var kept = Generated(incremental);
        Assert.True(fresh.Keys.SequenceEqual(kept.Keys), $"after {after}: files [{string.Join(", ", kept.Keys)}], a fresh run writes [{string.Join(", ", fresh.Keys)}]");
        foreach (var (hint, text) in fresh)
            Assert.True(text == kept[hint], $"after {after}: {hint} differs from a fresh run's.\n--- fresh\n{text}\n--- incremental\n{kept[hint]}");
    }

    [Fact]
    public void Every_edit_of_the_sequence_gives_what_a_fresh_driver_gives()
    {
        var compilation = Initial();
        var (driver, _, _) = GeneratorHarness.Run(compilation);
        foreach (var edit in Edits)
        {
            compilation = edit.Apply(compilation);
            var (next, _, result) = GeneratorHarness.Run(compilation, driver);
            AssertSameAsFresh(compilation, result, edit.What);
            driver = next;
        }
        // The sequence reached the cases it is meant to: the alias-named layers and the renamed one are generated.
        var files = Generated(GeneratorHarness.Run(compilation, driver).Result).Keys;
        Assert.Contains("Sample.Layers.Aliased.g.cs", files);
        Assert.Contains("Sample.Layers.GloballyTagged.g.cs", files);
        Assert.Contains("Sample.Layers.Renamed.g.cs", files);
    }

    [Fact]
    public void Each_edit_alone_after_a_first_run_gives_what_a_fresh_driver_gives()
    {
        // Each edit from the same starting state (the IDE may run one driver state against several compilations).
        var start = Initial();
        var (driver, _, _) = GeneratorHarness.Run(start);
        foreach (var edit in Edits.Where(e => !e.What.Contains("again") && !e.What.Contains("global alias") && !e.What.Contains("new parameter")))
        {
            var edited = edit.Apply(start);
            var (_, _, result) = GeneratorHarness.Run(edited, driver);
            AssertSameAsFresh(edited, result, edit.What);
        }
    }
}
