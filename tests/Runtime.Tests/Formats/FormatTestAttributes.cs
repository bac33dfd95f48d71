namespace Layerwise.Tests.Formats;

/// <summary>A theory that is skipped, with a message saying why, when a fixture it reads is absent.</summary>
public sealed class FixtureTheoryAttribute : TheoryAttribute
{
    public FixtureTheoryAttribute(string fixture)
    {
        if (Fixtures.Find(fixture) is null)
            Skip = $"Fixture \"{fixture}\" is absent (no shared/fixtures above the test assembly and LAYERWISE_FIXTURES unset).";
    }
}

/// <summary>
/// A fact that checks files with Debian's h5py, the independent reader: skipped, with a message,
/// when /usr/bin/python3 or h5py is missing (CI installs python3-h5py), or when a fixture it needs is absent.
/// </summary>
public sealed class H5PyFactAttribute : FactAttribute
{
    public H5PyFactAttribute(string? fixture = null)
    {
        if (fixture is not null && Fixtures.Find(fixture) is null)
            Skip = $"Fixture \"{fixture}\" is absent (no shared/fixtures above the test assembly and LAYERWISE_FIXTURES unset).";
        else if (H5Py.Missing is { } why)
            Skip = $"Independent check skipped: {why}.";
    }
}

/// <summary>
/// Tests that compare two seeded training runs bit for bit. Torch's random generator is global to the
/// process, so any test running in parallel that draws from it (initializers, dropout, shuffling)
/// would change the sequence between the seed and the draws: these run with nothing else in parallel.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SeededTrainingCollection
{
    public const string Name = "Seeded training (global random generator)";
}
