using System.Collections.Immutable;
using System.Reflection;
using Basic.Reference.Assemblies;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Layerwise.Generators.Tests;

/// <summary>
/// Runs <see cref="LayerGenerator"/> with <see cref="CSharpGeneratorDriver"/> on source text, offline:
/// .NET 10 reference assemblies from Basic.Reference.Assemblies, Layerwise.dll and TorchSharp.dll as
/// metadata (their paths are written into this assembly by the project file).
/// </summary>
internal static class GeneratorHarness
{
    public static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Latest);

    static readonly Lazy<ImmutableArray<MetadataReference>> references = new(() =>
    [
        .. Net100.References.All,
        MetadataReference.CreateFromFile(AssemblyPath("LayerwiseAssembly")),
        MetadataReference.CreateFromFile(AssemblyPath("TorchSharpAssembly")),
    ]);

    public static ImmutableArray<MetadataReference> References => references.Value;

    static string AssemblyPath(string key)
    {
        var path = typeof(GeneratorHarness).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value!;
        return File.Exists(path) ? Path.GetFullPath(path) : throw new FileNotFoundException($"{key} not found; build src/Runtime first.", path);
    }

    public static CSharpCompilation Compile(string assemblyName, params string[] sources) =>
        CSharpCompilation.Create(
            assemblyName,
            sources.Select((s, i) => CSharpSyntaxTree.ParseText(s, ParseOptions, path: $"Source{i}.cs")),
            References,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary,
                nullableContextOptions: NullableContextOptions.Enable,
                warningLevel: 9999,
                generalDiagnosticOption: ReportDiagnostic.Default,
                // As the .NET SDK does: version unification of references (TorchSharp targets net8.0).
                specificDiagnosticOptions: [new("CS1701", ReportDiagnostic.Suppress), new("CS1702", ReportDiagnostic.Suppress)]));

    public static GeneratorDriver CreateDriver(bool trackSteps = true) =>
        CSharpGeneratorDriver.Create(
            [new LayerGenerator().AsSourceGenerator()],
            parseOptions: ParseOptions,
            driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: trackSteps));

    /// <summary>Runs the generator; returns the driver (for re-runs), the output compilation and the run result.</summary>
    public static (GeneratorDriver Driver, Compilation Output, GeneratorDriverRunResult Result) Run(CSharpCompilation compilation, GeneratorDriver? driver = null)
    {
        driver = (driver ?? CreateDriver()).RunGeneratorsAndUpdateCompilation(compilation, out var output, out _);
        return (driver, output, driver.GetRunResult());
    }
}
