using System.Diagnostics;

namespace Layerwise.Tests.Cli;

/// <summary>The built tool as a process: exit codes and streams as a shell sees them.</summary>
public class CliProcessTests
{
    /// <summary>The tool's assembly, copied beside the tests by the project reference.</summary>
    static string ToolAssembly => Path.Combine(AppContext.BaseDirectory, "Layerwise.Cli.dll");

    static (int Code, string Output, string Error) RunTool(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(ToolAssembly);
        foreach (var a in args) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        Assert.True(process.WaitForExit(120_000), "the tool did not finish within 2 minutes");
        return (process.ExitCode, output.Result, error.Result);
    }

    [Fact]
    public void The_tool_runs_as_a_process_with_its_exit_codes()
    {
        Assert.True(File.Exists(ToolAssembly), $"{ToolAssembly} is missing");
        using var dir = new TempDirectory();
        TutorialModel.Create(hidden: 8).Save(dir.Combine("m.keras"));

        var ok = RunTool("verify", dir.Combine("m.keras"));
        Assert.True(ok.Code == 0, ok.Error);
        Assert.StartsWith("OK: ", ok.Output);

        var missing = RunTool("inspect", dir.Combine("absent.h5"));
        Assert.Equal(2, missing.Code);
        CliRunner.AssertOneLineError(missing.Error);

        var usage = RunTool("no-such-command");
        Assert.NotEqual(0, usage.Code);
        var help = RunTool("--help");
        Assert.Equal(0, help.Code);
        foreach (var command in new[] { "inspect", "summary", "convert", "diff", "verify", "predict", "plot" })
            Assert.Contains(command, help.Output);
    }
}
