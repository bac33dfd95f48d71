using System.Diagnostics;

namespace Layerwise.Tests.Support;

/// <summary>Runs this test assembly as a child process (<see cref="TestHostProgram"/>) with its output redirected.</summary>
public static class ChildProcess
{
    public static Process Start(params string[] args)
    {
        var dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet";
        var info = new ProcessStartInfo(dotnet)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add("exec");
        info.ArgumentList.Add(typeof(ChildProcess).Assembly.Location);
        foreach (var arg in args) info.ArgumentList.Add(arg);
        return Process.Start(info)!;
    }

    /// <summary>Reads lines until one starts with <paramref name="prefix"/>; null when the child's output ends first.</summary>
    public static async Task<string?> ReadLineStartingWith(Process child, string prefix, TimeSpan timeout)
    {
        while (true)
        {
            string? line;
            try
            {
                line = await child.StandardOutput.ReadLineAsync().WaitAsync(timeout);
            }
            catch (TimeoutException)
            {
                child.Kill(entireProcessTree: true);
                throw new TimeoutException($"The child wrote no \"{prefix}\" line for {timeout.TotalSeconds} s.");
            }
            if (line is null || line.StartsWith(prefix, StringComparison.Ordinal)) return line;
        }
    }
}
