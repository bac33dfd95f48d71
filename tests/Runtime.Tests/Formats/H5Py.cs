using System.Diagnostics;

namespace Layerwise.Tests.Formats;

/// <summary>
/// Runs a script under Debian's python3 with h5py, the independent HDF5 reader these tests check
/// files against. When /usr/bin/python3 or h5py is missing
/// (<see cref="H5PyFactAttribute"/> skips the tests that need it, with a message; CI installs python3-h5py, see .ci/run).
/// </summary>
internal static class H5Py
{
    const string Python = "/usr/bin/python3";

    static readonly Lazy<string?> missingReason = new(() =>
    {
        if (!File.Exists(Python)) return $"{Python} is absent";
        var (code, _, error) = Execute("import h5py", []);
        return code == 0 ? null : $"h5py is not importable by {Python} ({error.Trim()}); install python3-h5py";
    });

    /// <summary>Why h5py cannot be used here, or null when it can.</summary>
    public static string? Missing => missingReason.Value;

    /// <summary>The script's standard output.</summary>
    public static string Run(string script, IEnumerable<string> arguments)
    {
        if (Missing is { } why) throw new InvalidOperationException($"h5py is unavailable: {why}.");
        var (code, output, error) = Execute(script, arguments);
        Assert.True(code == 0, $"python3 exited with {code}:\n{error}");
        return output;
    }

    /// <summary>Runs a script under /usr/bin/python3 (also used for other independent Python checkers, such as onnx).</summary>
    internal static (int Code, string Output, string Error) Execute(string script, IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo(Python) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(script);
        foreach (var a in arguments) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        return (process.ExitCode, output.Result, error.Result);
    }
}
