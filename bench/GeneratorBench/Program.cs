// Times Layerwise.Generators on a synthetic project of N [Layer] types (one file each):
//   full         a fresh driver on a fresh compilation (what a clean build pays)
//   edit         a driver that has run once, re-run after a one-line edit in one file (what a keystroke pays):
//                a constructor's default value (`double rate = 0.5` to 0.25)
//   body         the same after an edit inside a method body
//   whitespace   the same after a whitespace-only edit
//   declaration  the same after an edit that changes a declaration (a new property): every type is read again
//   floor-*      the same runs with a generator that only finds the [Layer] types (ForAttributeWithMetadataName
//                returning the type's name): what an attribute-driven generator built the usual way pays
//   compile      for scale: the compiler's own GetDiagnostics() on the same project, without the generator
//   gen+compile  the generator, then GetDiagnostics() on the compilation with the generated files: minus
//                `compile`, what the generator adds to a clean build (binding that both need is shared)
// GENBENCH_PROFILE=1 prints instead where the reader's time goes (binding of parameter defaults, types, members);
// GENBENCH_PROFILE=2 the CPU time and allocation of compiling the generated code with parts of it removed;
// GENBENCH_DUMP=1 prints the generated text for one type and the assembly-wide files;
// GENBENCH_LOOP=user|generated only compiles the project without/with its generated files, for a profiler.
// Each figure is the median of R rounds, after one warm-up round; wall-clock and CPU time (all threads:
// GetDiagnostics compiles concurrently; CPU time is the steadier figure on a shared machine) and the megabytes
// allocated (all threads; hardly moved by other load on the machine).
//   dotnet run -c Release --project bench/GeneratorBench -- 1000 9      # types, rounds
using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using Basic.Reference.Assemblies;
using Layerwise.Generators;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Text;

int types = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 1000;
int rounds = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 9;

var parse = new CSharpParseOptions(LanguageVersion.Latest);
var trees = Enumerable.Range(0, types).Select(i => CSharpSyntaxTree.ParseText(Source(i), parse, path: $"Layer{i}.cs")).ToArray();
MetadataReference[] references =
[
    .. Net100.References.All,
    MetadataReference.CreateFromFile(Metadata("LayerwiseAssembly")),
    MetadataReference.CreateFromFile(Metadata("TorchSharpAssembly")),
];
CSharpCompilation NewCompilation() => CSharpCompilation.Create("Synthetic", trees, references,
    new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
GeneratorDriver NewDriver() => CSharpGeneratorDriver.Create([new LayerGenerator().AsSourceGenerator()], parseOptions: parse);
GeneratorDriver NewFloorDriver() => CSharpGeneratorDriver.Create([new FloorGenerator().AsSourceGenerator()], parseOptions: parse);

// Sanity: every type generates a file and the result compiles.
{
    var driver = NewDriver().RunGeneratorsAndUpdateCompilation(NewCompilation(), out var output, out _);
    // One file per type, plus the assembly's [assembly: LayerAssembly] marker.
    int files = driver.GetRunResult().GeneratedTrees.Count(t => !Path.GetFileName(t.FilePath).StartsWith("Layerwise.", StringComparison.Ordinal));
    var errors = output.GetDiagnostics().Count(d => d.Severity == DiagnosticSeverity.Error);
    if (files != types || errors != 0) throw new InvalidOperationException($"{files} files for {types} types, {errors} errors");
}

if (Environment.GetEnvironmentVariable("GENBENCH_DUMP") == "1")
{
    // Prints what the generator writes for the first type and the assembly-wide files: to read what is being compiled.
    foreach (var tree in NewDriver().RunGenerators(NewCompilation()).GetRunResult().GeneratedTrees
        .Where(t => Path.GetFileName(t.FilePath).StartsWith("Layerwise.", StringComparison.Ordinal) || t.FilePath.Contains("Layer0.", StringComparison.Ordinal)))
        Console.WriteLine($"=== {Path.GetFileName(tree.FilePath)}\n{tree}");
    return;
}

if (Environment.GetEnvironmentVariable("GENBENCH_PROFILE") == "1")
{
    for (int r = 0; r < 4; r++)
    {
        var parts = new Dictionary<string, double>();
        void Part(string name, Action<INamedTypeSymbol, Compilation> action)
        {
            var c = NewCompilation();
            var symbols = Enumerable.Range(0, types).Select(i => c.GetTypeByMetadataName($"Synthetic.Group{i / 100}.Layer{i}")!).ToList();
            parts[name] = Time(() => { foreach (var t in symbols) action(t, c); });
        }
        Part("lookup only", (t, c) => { });
        Part("attributes of type", (t, c) => t.GetAttributes());
        Part("ctor params attrs", (t, c) => { foreach (var p in t.InstanceConstructors[0].Parameters) p.GetAttributes(); });
        Part("ctor params defaults", (t, c) => { foreach (var p in t.InstanceConstructors[0].Parameters) _ = p.HasExplicitDefaultValue ? p.ExplicitDefaultValue : null; });
        Part("members", (t, c) => { foreach (var m in t.GetMembers()) _ = m is IPropertySymbol ps ? ps.Type : (m as IFieldSymbol)?.Type; });
        Part("display types", (t, c) => { foreach (var p in t.InstanceConstructors[0].Parameters) p.Type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat); });
        Part("reader", (t, c) => Layerwise.Generators.Shared.LayerTypeReader.Read(t, t.GetAttributes()[0], false, c, default));
        Console.WriteLine(string.Join("  ", parts.Select(p => $"{p.Key}: {p.Value:F0}")));
    }
    return;
}

if (Environment.GetEnvironmentVariable("GENBENCH_LOOP") is { Length: > 0 } loop)
{
    // For a sampling profiler (dotnet-trace): compiles the project with its generated files ("generated") or
    // without them ("user") `rounds` times, nothing else, so the two traces differ only by the generated code.
    var extra = loop == "generated"
        ? NewDriver().RunGenerators(NewCompilation()).GetRunResult().GeneratedTrees.Select(t => CSharpSyntaxTree.ParseText(t.ToString(), parse)).ToArray()
        : [];
    for (int r = 0; r < rounds; r++) NewCompilation().AddSyntaxTrees(extra).GetDiagnostics();
    return;
}

if (Environment.GetEnvironmentVariable("GENBENCH_PROFILE") == "2")
{
    var run = NewDriver().RunGenerators(NewCompilation()).GetRunResult();
    var generated = run.GeneratedTrees.Select(t => t.ToString()).ToList();
    string Strip(string text, string startMarker)
    {
        int start = text.IndexOf(startMarker, StringComparison.Ordinal);
        if (start < 0) return text;
        int open = text.IndexOf('{', start);
        int depth = 0, i = open;
        for (; i < text.Length; i++) { if (text[i] == '{') depth++; else if (text[i] == '}' && --depth == 0) break; }
        return text[..open] + "{ throw null!; }" + text[(i + 1)..];
    }
    string Without(string text, string pattern) => System.Text.RegularExpressions.Regex.Replace(text, pattern, "");
    var variants = new Dictionary<string, Func<string, string>>
    {
        ["as generated"] = t => t,
        ["-GetConfig"] = t => Strip(t, "GetConfig()"),
        ["-FromConfig"] = t => Strip(t, "FromConfig(global"),
        ["-both"] = t => Strip(Strip(t, "GetConfig()"), "FromConfig(global"),
        ["-both-docs"] = t => Without(Strip(Strip(t, "GetConfig()"), "FromConfig(global"), @"(?m)^\s*///.*$"),
        ["-both-enums"] = t => Without(Strip(Strip(t, "GetConfig()"), "FromConfig(global"), @"static global::System.Text.Json.Nodes.JsonNode\? LayerwiseWrite_[\s\S]*?\}\);|static global::\S+\? LayerwiseParse_[\s\S]*?\};|static readonly global::Layerwise.Serialization.ConfigEnum<[\s\S]*?\}\);"),
        ["-both-registration"] = t => Without(Strip(Strip(t, "GetConfig()"), "FromConfig(global"), @"static readonly global::Layerwise.Serialization.LayerRegistration[\s\S]*?public override global::Layerwise.Serialization.LayerRegistration\? Registration => \w+;"),
        ["-both-tracking"] = t => Strip(Strip(Strip(t, "GetConfig()"), "FromConfig(global"), "CollectTrackedFields("),
        ["-named-args"] = t => System.Text.RegularExpressions.Regex.Replace(t, @"(?m)^(\s+)@?\w+: reader\.", "$1reader."),
        ["-generic-reads"] = t => System.Text.RegularExpressions.Regex.Replace(t, @"reader\.(Optional|Required)<.*\)(,|\);)$", "default!$2", System.Text.RegularExpressions.RegexOptions.Multiline),
        ["-scalar-reads"] = t => System.Text.RegularExpressions.Regex.Replace(t, @"reader\.(Optional|Required)[A-Z]\w*\(.*\)(,|\);)$", "default!$2", System.Text.RegularExpressions.RegexOptions.Multiline),
        ["-initializer"] = t => System.Text.RegularExpressions.Regex.Replace(t, @".*Registers this type as.*\n.*ModuleInitializer.*\n.*LayerwiseRegister_.*\n", ""),
        ["empty partial"] = t => !t.Contains("partial class", StringComparison.Ordinal) ? t
            : t[..(t.IndexOf("partial class", StringComparison.Ordinal))] + t[t.IndexOf("partial class", StringComparison.Ordinal)..].Split('\n')[0] + "{}}",
    };
    for (int r = 0; r < rounds; r++)
    {
        Console.WriteLine(string.Join("  ", variants.Select(v =>
        {
            var c = NewCompilation().AddSyntaxTrees(generated.Select(g => CSharpSyntaxTree.ParseText(v.Value(g), parse)));
            return $"{v.Key}: {Format(CpuAndAllocation(() => c.GetDiagnostics()))}";
        })) + $"  compile: {Format(CpuAndAllocation(() => NewCompilation().GetDiagnostics()))}  (CPU ms / MB allocated)");
    }
    return;
}

var editedTree = trees[types / 2];
var edited = editedTree.WithChangedText(SourceText.From(editedTree.ToString().Replace("double rate = 0.5", "double rate = 0.25")));
var spaced = editedTree.WithChangedText(SourceText.From(editedTree.ToString().Replace("public int Units { get; }", "public int Units  {  get;  }\n")));
var body = editedTree.WithChangedText(SourceText.From(editedTree.ToString().Replace("inputs.matmul(kernel!.Value)", "inputs.matmul(kernel!.Value).relu()")));
var declaration = editedTree.WithChangedText(SourceText.From(editedTree.ToString().Replace("public int Units { get; }", "public int Units { get; }\n    public int Extra { get; }")));
if (new[] { edited, spaced, body, declaration }.Any(t => t.ToString() == editedTree.ToString())) throw new InvalidOperationException("an edit did not apply");

(double, double, double) Full(Func<GeneratorDriver> newDriver) => Measure(() => newDriver().RunGenerators(NewCompilation()));
(double, double, double) Incremental(Func<GeneratorDriver> newDriver, SyntaxTree replacement)
{
    var compilation = NewCompilation();
    var driver = newDriver().RunGenerators(compilation);
    var next = compilation.ReplaceSyntaxTree(editedTree, replacement);
    return Measure(() => driver.RunGenerators(next));
}
(double, double, double) Compile() => Measure(() => NewCompilation().GetDiagnostics());
(double, double, double) GenerateAndCompile() => Measure(() =>
{
    NewDriver().RunGeneratorsAndUpdateCompilation(NewCompilation(), out var output, out _);
    output.GetDiagnostics();
});

var results = new Dictionary<string, List<(double Wall, double Cpu, double AllocatedMb)>>();
for (int round = -1; round < rounds; round++)
{
    var measured = new Dictionary<string, (double, double, double)>
    {
        ["full"] = Full(NewDriver),
        ["edit"] = Incremental(NewDriver, edited),
        ["body"] = Incremental(NewDriver, body),
        ["whitespace"] = Incremental(NewDriver, spaced),
        ["declaration"] = Incremental(NewDriver, declaration),
        ["floor-full"] = Full(NewFloorDriver),
        ["floor-edit"] = Incremental(NewFloorDriver, edited),
        ["compile"] = Compile(),
        ["gen+compile"] = GenerateAndCompile(),
    };
    if (round < 0) continue; // warm-up: JIT, reference metadata
    foreach (var (key, ms) in measured)
    {
        if (!results.TryGetValue(key, out var list)) results[key] = list = [];
        list.Add(ms);
    }
}

Console.WriteLine($"{types} [Layer] types, {rounds} rounds: median wall ms (min-max), median CPU ms, median MB allocated");
foreach (var (key, values) in results)
{
    var wall = values.Select(v => v.Wall).Order().ToList();
    var cpu = values.Select(v => v.Cpu).Order().ToList();
    var allocated = values.Select(v => v.AllocatedMb).Order().ToList();
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"{key,-12} {wall[wall.Count / 2],9:F1}   ({wall[0]:F1}-{wall[^1]:F1})   {cpu[cpu.Count / 2],9:F1}   {allocated[allocated.Count / 2],8:F1}"));
}

static double Time(Action action)
{
    var watch = Stopwatch.StartNew();
    action();
    return watch.Elapsed.TotalMilliseconds;
}

static (double Wall, double Cpu, double AllocatedMb) Measure(Action action)
{
    long allocated = GC.GetTotalAllocatedBytes(precise: true);
    var cpu = Process.GetCurrentProcess().TotalProcessorTime;
    var watch = Stopwatch.StartNew();
    action();
    return (watch.Elapsed.TotalMilliseconds, (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMilliseconds,
        (GC.GetTotalAllocatedBytes(precise: true) - allocated) / 1e6);
}

static double CpuTime(Action action)
{
    var before = Process.GetCurrentProcess().TotalProcessorTime;
    action();
    return (Process.GetCurrentProcess().TotalProcessorTime - before).TotalMilliseconds;
}

// Bytes the compiler allocates while binding (all threads): unlike CPU time, hardly moved by other load
// on the machine, so it shows small differences between two versions of the generated code.
static (double CpuMs, double AllocatedMb) CpuAndAllocation(Action action)
{
    long allocated = GC.GetTotalAllocatedBytes(precise: true);
    double cpu = CpuTime(action);
    return (cpu, (GC.GetTotalAllocatedBytes(precise: true) - allocated) / 1e6);
}

static string Format((double CpuMs, double AllocatedMb) m) => string.Create(CultureInfo.InvariantCulture, $"{m.CpuMs:F0}/{m.AllocatedMb:F0}");

static string Metadata(string key)
{
    var path = Assembly.GetEntryAssembly()!.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value!;
    return File.Exists(path) ? Path.GetFullPath(path) : throw new FileNotFoundException($"{key} not found: build src/Runtime in Release first.", path);
}

static string Source(int i) => $$"""
    using Layerwise;
    using Layerwise.Initializers;
    using Layerwise.Layers;
    using static TorchSharp.torch;

    namespace Synthetic.Group{{i / 100}};

    public enum Mode{{i}} { Fast, Careful }

    /// <summary>Synthetic layer {{i}}.</summary>
    [Layer]
    public partial class Layer{{i}} : Layer
    {
        Variable? kernel;
        Variable? bias;

        public Layer{{i}}(int units = {{i % 64 + 1}}, string activation = "relu", double rate = 0.5, bool useBias = true,
                        Mode{{i}} mode = Mode{{i}}.Fast, int[]? sizes = null, Initializer? initializer = null,
                        long[]? inputShape = null, string? name = null, bool trainable = true)
            : base(name, trainable, inputShape)
        {
            Units = units; Activation = activation; Rate = rate; UseBias = useBias; Mode = mode; Sizes = sizes;
            Initializer = initializer ?? new GlorotUniform();
        }

        public int Units { get; }
        public string Activation { get; }
        public double Rate { get; }
        public bool UseBias { get; }
        public Mode{{i}} Mode { get; }
        public int[]? Sizes { get; }
        public Initializer Initializer { get; }

        protected override void Build(long[] inputShape)
        {
            kernel = AddWeight("kernel", [inputShape[^1], Units], Initializer);
            if (UseBias) bias = AddWeight("bias", [Units], new Zeros());
        }

        public override Tensor Call(Tensor inputs, bool training = false) => inputs.matmul(kernel!.Value);
    }
    """;

/// <summary>Finds the [Layer] types and nothing else: what any attribute-driven generator pays.</summary>
sealed class FloorGenerator : IIncrementalGenerator
{
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        var names = context.SyntaxProvider.ForAttributeWithMetadataName("Layerwise.LayerAttribute",
            static (node, _) => node is Microsoft.CodeAnalysis.CSharp.Syntax.ClassDeclarationSyntax,
            static (ctx, _) => ctx.TargetSymbol.Name);
        context.RegisterSourceOutput(names, static (_, _) => { });
    }
}
