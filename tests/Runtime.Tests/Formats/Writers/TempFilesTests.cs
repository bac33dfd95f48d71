using System.Diagnostics;
using Layerwise.Formats;

namespace Layerwise.Tests.Formats.Writers;

/// <summary>
/// The sweep of temporary files: it deletes what dead processes left (also a pid that was reused by a
/// process started later), keeps the live temporary files of running processes and everything not
/// named like a temporary file, and moves a model directory that a killed save left aside back into place.
/// </summary>
public class TempFilesTests
{
    [Fact]
    public void A_dead_owners_temporary_files_go_and_live_owners_and_other_files_stay()
    {
        using var dir = new TempDirectory();
        int dead = DeadProcessId();
        var deadFile = dir.Combine($".model.h5.tmp-{dead}-{Guid.NewGuid():N}");
        var deadFolder = dir.Combine($".model.tmp-{dead}-{Guid.NewGuid():N}");
        var liveFile = TempFiles.Hidden(dir.Combine("model.h5"));        // this process' own: live
        var bundleTemp = TempFiles.Beside(dir.Combine("cp.ckpt.index"));   // live too
        File.WriteAllText(deadFile, "x");
        Directory.CreateDirectory(deadFolder);
        File.WriteAllText(Path.Combine(deadFolder, "config.json"), "{}");
        File.WriteAllText(liveFile, "x");
        File.WriteAllText(bundleTemp, "x");
        File.WriteAllText(dir.Combine("model.h5"), "x");
        File.WriteAllText(dir.Combine("notes.tmp-123"), "x");              // not our pattern

        Assert.Equal(2, TempFiles.SweepStale(dir.Path));
        Assert.False(File.Exists(deadFile));
        Assert.False(Directory.Exists(deadFolder));
        Assert.True(File.Exists(liveFile) && File.Exists(bundleTemp));
        Assert.True(File.Exists(dir.Combine("model.h5")) && File.Exists(dir.Combine("notes.tmp-123")));
    }

    [Fact]
    public void A_temporary_file_written_before_its_pid_owner_started_is_stale()
    {
        using var dir = new TempDirectory();
        // This process' pid, but written before this process started: another process had the pid then.
        var reused = TempFiles.Hidden(dir.Combine("model.keras"));
        File.WriteAllText(reused, "x");
        File.SetLastWriteTimeUtc(reused, Process.GetCurrentProcess().StartTime.ToUniversalTime() - TimeSpan.FromMinutes(5));
        Assert.Equal(1, TempFiles.SweepStale(dir.Path));
        Assert.False(File.Exists(reused));
    }

    [Fact]
    public void A_previous_directory_a_killed_save_moved_aside_is_moved_back_when_its_place_is_empty()
    {
        using var dir = new TempDirectory();
        var aside = dir.Combine($".model.old-{DeadProcessId()}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(aside);
        File.WriteAllText(Path.Combine(aside, "config.json"), "{}");
        TempFiles.SweepStale(dir.Path);
        Assert.True(File.Exists(dir.Combine("model", "config.json")));
        Assert.False(Directory.Exists(aside));
    }

    [Fact]
    public void Temporary_names_carry_the_owner_pid_and_are_recognised()
    {
        var name = Path.GetFileName(TempFiles.Hidden("/data/model.h5"));
        Assert.StartsWith($".model.h5.tmp-{Environment.ProcessId}-", name, StringComparison.Ordinal);
        Assert.True(TempFiles.IsTemporaryName(name));
        Assert.True(TempFiles.IsTemporaryName(TempFiles.Beside("/data/cp.ckpt.index")));
        Assert.False(TempFiles.IsTemporaryName("/data/cp.ckpt.index"));
    }

    /// <summary>The id of a process that ran and has exited.</summary>
    static int DeadProcessId()
    {
        using var process = Process.Start(new ProcessStartInfo("true") { UseShellExecute = false })!;
        process.WaitForExit();
        return process.Id;
    }
}
