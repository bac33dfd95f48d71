using System.Reflection;
using System.Text.RegularExpressions;

namespace Layerwise.Analyzers.Tests;

/// <summary>
/// Builds tests/AnalyzerSamples with plain <c>dotnet build</c> (the real runtime, generator and
/// analyzers) and checks that each line marked <c>// expect: LWnnnn</c> gets that diagnostic, that no
/// other line gets one, and that every Layerwise id has a mistake there.
/// </summary>
[Collection(RepositoryBuild.Collection)]
public partial class SampleBuildTests
{
    [GeneratedRegex(@"(?<file>[^\s:()]+\.cs)\((?<line>\d+),\d+\): (?:error|warning) (?<id>LW\d{4}):")]
    private static partial Regex DiagnosticLine();

    [GeneratedRegex(@"//\s*expect:\s*(?<id>LW\d{4})")]
    private static partial Regex ExpectComment();

    [Fact]
    public void Dotnet_build_reports_each_Layerwise_diagnostic_at_its_marked_line()
    {
        var sampleDir = Path.Combine(RepositoryBuild.Root, "tests", "AnalyzerSamples");
        var expected = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var file in Directory.GetFiles(sampleDir, "*.cs", SearchOption.TopDirectoryOnly))
        {
            var lines = File.ReadAllLines(file);
            for (int i = 0; i < lines.Length; i++)
                foreach (Match m in ExpectComment().Matches(lines[i]))
                    expected.Add($"{Path.GetFileName(file)}:{i + 1}: {m.Groups["id"].Value}");
        }

        // The build fails (LW0003 and friends are errors), so the compiler runs every time.
        var (exitCode, output) = RepositoryBuild.Dotnet(sampleDir, "build", "AnalyzerSamples.csproj", "-nologo", "-clp:NoSummary");

        var actual = new SortedSet<string>(StringComparer.Ordinal);
        foreach (Match m in DiagnosticLine().Matches(output))
            actual.Add($"{Path.GetFileName(m.Groups["file"].Value)}:{m.Groups["line"].Value}: {m.Groups["id"].Value}");

        Assert.True(exitCode != 0, "The sample is full of mistakes and must not build:\n" + output);
        Assert.True(expected.SetEquals(actual),
            $"Expected:\n  {string.Join("\n  ", expected)}\nActual:\n  {string.Join("\n  ", actual)}\nBuild output:\n{output}");

        var allIds = typeof(DiagnosticDescriptors).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral && f.Name.EndsWith("Id", StringComparison.Ordinal))
            .Select(f => (string)f.GetRawConstantValue()!);
        var covered = actual.Select(a => a[^6..]).ToHashSet();
        var uncovered = allIds.Where(id => !covered.Contains(id)).ToList();
        Assert.True(uncovered.Count == 0, "No mistake in tests/AnalyzerSamples for " + string.Join(", ", uncovered));
    }
}
