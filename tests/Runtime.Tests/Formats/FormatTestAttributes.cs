namespace Layerwise.Tests.Formats;

/// <summary>A theory that is skipped, with a message saying why, when a fixture it reads is absent.</summary>
public sealed class FixtureTheoryAttribute : TheoryAttribute
{
    public FixtureTheoryAttribute(string fixture)
    {
        Skip = Fixtures.MissingReason(fixture);
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
        if (fixture is not null && Fixtures.MissingReason(fixture) is { } absent)
            Skip = absent;
        else if (H5Py.Missing is { } why)
            Skip = $"Independent check skipped: {why}.";
    }
}

/// <summary>A theory that needs python3 with h5py, skipped with the reason when it is missing.</summary>
public sealed class H5PyTheoryAttribute : TheoryAttribute
{
    public H5PyTheoryAttribute()
    {
        if (H5Py.Missing is { } why) Skip = $"Independent check skipped: {why}.";
    }
}
