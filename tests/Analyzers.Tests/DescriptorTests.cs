using System.Reflection;
using Microsoft.CodeAnalysis;

namespace Layerwise.Analyzers.Tests;

/// <summary>Every descriptor is complete: help page with the four sections, release tracking, a firing test.</summary>
public class DescriptorTests
{
    public static TheoryData<string> Ids()
    {
        var data = new TheoryData<string>();
        foreach (var d in Descriptors()) data.Add(d.Id);
        return data;
    }

    static IEnumerable<DiagnosticDescriptor> Descriptors() =>
        typeof(DiagnosticDescriptors).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.FieldType == typeof(DiagnosticDescriptor))
            .Select(f => (DiagnosticDescriptor)f.GetValue(null)!);

    [Fact]
    public void Ids_are_unique_and_each_has_a_constant()
    {
        var ids = Descriptors().Select(d => d.Id).ToList();
        Assert.Equal(ids.Count, ids.Distinct().Count());
        var constants = typeof(DiagnosticDescriptors).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral && f.Name.EndsWith("Id", StringComparison.Ordinal)).Select(f => (string)f.GetRawConstantValue()!);
        Assert.Equal(ids.Order(), constants.Order());
    }

    [Theory]
    [MemberData(nameof(Ids))]
    public void Descriptor_has_title_message_naming_the_type_help_link_page_and_release_entry(string id)
    {
        var descriptor = Descriptors().Single(d => d.Id == id);
        Assert.Matches(@"^LW[0-2]\d{3}$", id);
        Assert.False(string.IsNullOrWhiteSpace(descriptor.Title.ToString()));
        Assert.Contains("{0}", descriptor.MessageFormat.ToString());
        Assert.False(string.IsNullOrWhiteSpace(descriptor.Description.ToString()));
        Assert.EndsWith("/docs/diagnostics/" + id + ".md", descriptor.HelpLinkUri);
        // The link is made from the one repository URL property (Directory.Build.props), not a constant of its own.
        var repositoryUrl = typeof(DescriptorTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .Single(a => a.Key == "LayerwiseRepositoryUrl").Value;
        Assert.False(string.IsNullOrEmpty(repositoryUrl));
        Assert.StartsWith(repositoryUrl + "/blob/", descriptor.HelpLinkUri);

        var page = File.ReadAllText(Path.Combine(RepositoryBuild.Root, "docs", "diagnostics", id + ".md"));
        Assert.StartsWith("# " + id + ": " + descriptor.Title, page);
        foreach (var section in new[] { "## What is flagged", "## Why it matters", "## Fix", "## Alternative" })
            Assert.Contains(section, page);
        Assert.Contains("| Severity | " + descriptor.DefaultSeverity + " |", page);

        var releases = File.ReadAllText(Path.Combine(RepositoryBuild.Root, "src", "Analyzers", "AnalyzerReleases.Unshipped.md"))
            + File.ReadAllText(Path.Combine(RepositoryBuild.Root, "src", "Analyzers", "AnalyzerReleases.Shipped.md"));
        Assert.Contains(id + " | " + descriptor.Category + " | " + descriptor.DefaultSeverity, releases);

        var tests = string.Join("\n", Directory.GetFiles(Path.Combine(RepositoryBuild.Root, "tests", "Analyzers.Tests"), "*Tests.cs").Select(File.ReadAllText));
        Assert.Contains("{|" + id + ":", tests);
    }
}
