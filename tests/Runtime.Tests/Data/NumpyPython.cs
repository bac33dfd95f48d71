using Layerwise.Tests.Formats;

namespace Layerwise.Tests.Data;

/// <summary>Debian's python3 with numpy, the independent reader and writer the .npy/.npz tests check against.</summary>
internal static class NumpyPython
{
    static readonly Lazy<string?> missingReason = new(() =>
    {
        if (!File.Exists("/usr/bin/python3")) return "/usr/bin/python3 is absent";
        var (code, _, error) = H5Py.Execute("import numpy", []);
        return code == 0 ? null : $"numpy is not importable by /usr/bin/python3 ({error.Trim()}); install python3-numpy";
    });

    /// <summary>Why numpy cannot be used here, or null when it can.</summary>
    public static string? Missing => missingReason.Value;

    /// <summary>Runs <paramref name="script"/> (numpy imported as np) and returns its standard output.</summary>
    public static string Run(string script, params string[] arguments)
    {
        var (code, output, error) = H5Py.Execute("import sys\nimport numpy as np\n" + script, arguments);
        Assert.True(code == 0, $"python3 exited with {code}:\n{error}");
        return output;
    }
}

/// <summary>A fact that needs python3 with numpy: skipped, with a message, when it is missing (CI installs python3-numpy).</summary>
public sealed class NumpyFactAttribute : FactAttribute
{
    public NumpyFactAttribute()
    {
        if (NumpyPython.Missing is { } why) Skip = $"Independent check skipped: {why}.";
    }
}
