namespace Layerwise.Tests;

/// <summary>
/// Finds the real-file fixtures (<c>shared/fixtures</c>, beside the repository in CI and on
/// developers' machines): <c>LAYERWISE_FIXTURES</c> when set, else the first folder named
/// <c>shared/fixtures</c> walking up from the test assembly. They are read in place, never copied.
/// </summary>
public static class Fixtures
{
    public static string? Root { get; } = FindRoot();

    /// <summary>The full path of a fixture, or null when the fixtures folder or that file is absent.</summary>
    public static string? Find(string relative)
    {
        if (Root is null) return null;
        var path = Path.Combine(Root, relative);
        return File.Exists(path) || Directory.Exists(path) ? path : null;
    }

    /// <summary>Why a test that reads <paramref name="relative"/> must skip, or null when the fixture is there.</summary>
    public static string? MissingReason(string relative) => Find(relative) is null
        ? $"Fixture \"{relative}\" is absent (no shared/fixtures above the test assembly and LAYERWISE_FIXTURES unset)."
        : null;

    public static string Get(string relative) =>
        Find(relative) ?? throw new InvalidOperationException($"Fixture \"{relative}\" not found (fixtures root: {Root ?? "none"}).");

    static string? FindRoot()
    {
        var fromEnvironment = Environment.GetEnvironmentVariable("LAYERWISE_FIXTURES");
        if (!string.IsNullOrEmpty(fromEnvironment)) return Directory.Exists(fromEnvironment) ? fromEnvironment : null;
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "shared", "fixtures");
            if (Directory.Exists(candidate)) return candidate;
        }
        return null;
    }
}

/// <summary>A fact that is skipped, with a message saying why, when a fixture it reads is absent.</summary>
public sealed class FixtureFactAttribute : FactAttribute
{
    public FixtureFactAttribute(string fixture)
    {
        Skip = Fixtures.MissingReason(fixture);
    }
}
