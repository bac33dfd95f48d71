using Layerwise.Tests.Callbacks;
using Layerwise.Tests.Formats.Checkpoint;
using Layerwise.Tests.Formats.Writers;

namespace Layerwise.Tests;

/// <summary>
/// Entry point of the test assembly (the test SDK's generated one is turned off), so that tests
/// can run parts of it as a child process: <c>dotnet exec Layerwise.Tests.dll save-loop DIR MODE START</c>,
/// <c>... backup-train DIR</c>, <c>... writer-loop DIR WRITER START</c>, <c>... fit-writer DIR NAME</c>, <c>... writer-kills WRITER KILLS DIR</c> (the long kill run).
/// Test runners do not call it.
/// </summary>
public static class TestHostProgram
{
    public static int Main(string[] args) => args switch
    {
        ["save-loop", var dir, var mode, var start] => CheckpointCrashTests.SaveLoop(dir, mode, long.Parse(start, System.Globalization.CultureInfo.InvariantCulture)),
        ["backup-train", var dir] => BackupAndRestoreProcessTests.Train(dir),
        ["writer-loop", var dir, var writer, var start] => WriterKillTests.WriterLoop(dir, writer, long.Parse(start, System.Globalization.CultureInfo.InvariantCulture)),
        ["fit-writer", var dir, var name] => ConcurrentWriterTests.FitWriter(dir, name),
        ["writer-kills", var writer, var kills, var dir] => WriterKills(writer, int.Parse(kills, System.Globalization.CultureInfo.InvariantCulture), dir),
        _ => 0,
    };

    /// <summary>The kill harness of one writer, outside the test runner, printing a line per kill (docs/writers.md).</summary>
    static int WriterKills(string writer, int kills, string dir)
    {
        Directory.CreateDirectory(dir);
        WriterKillTests.RunKills(writer, kills, dir, line => { Console.Out.WriteLine(line); Console.Out.Flush(); }).GetAwaiter().GetResult();
        return 0;
    }
}
