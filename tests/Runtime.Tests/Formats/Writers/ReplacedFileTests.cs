using System.Diagnostics;
using Layerwise.Formats;
using Layerwise.Formats.Hdf5;

namespace Layerwise.Tests.Formats.Writers;

/// <summary>A fact that reads Linux's /proc/self/fd: skipped with a message elsewhere.</summary>
public sealed class LinuxFactAttribute : FactAttribute
{
    public LinuxFactAttribute()
    {
        if (!OperatingSystem.IsLinux()) Skip = "Linux only: the replaced file is held open on Linux only, and the test reads /proc/self/fd.";
    }
}

/// <summary>
/// A save over a large file holds the old file open across the rename, so that the rename does not free its blocks
/// on the saving thread, then closes it on a thread-pool thread: the path holds the new content when the save
/// returns, and no handle to the old file stays open. Small files, symbolic links and FIFOs are not held (opening a
/// FIFO would block). A temporary .h5 is created new, never over an existing file.
/// </summary>
public class ReplacedFileTests
{
    [LinuxFact]
    public void A_large_replaced_file_is_held_across_the_rename_then_closed_after_the_save()
    {
        using var dir = new TempDirectory();
        var path = dir.Combine("model.h5");
        File.WriteAllBytes(path, Filled(ReplacedFile.HoldFrom, 1));

        var replaced = ReplacedFile.Hold(path);
        Assert.True(replaced.IsHeld);
        File.Move(Write(dir.Combine("new.h5"), 2), path, overwrite: true);
        // The rename dropped the old file's name, but this process still has it open: its blocks are not freed yet.
        Assert.Equal(1, HandlesToDeleted(path));
        replaced.ReleaseInBackground();
        Assert.True(WaitUntil(() => HandlesToDeleted(path) == 0), "the old file's handle was not closed");
    }

    [LinuxFact]
    public void A_save_over_a_large_file_leaves_the_new_content_and_no_handle_to_the_old_one()
    {
        using var dir = new TempDirectory();
        var path = dir.Combine("model.h5");
        File.WriteAllBytes(path, Filled(ReplacedFile.HoldFrom + 4096, 1));
        for (byte round = 2; round < 5; round++)
        {
            var content = Filled(ReplacedFile.HoldFrom + 4096, round);
            AtomicFile.Write(path, temporary => File.WriteAllBytes(temporary, content));
            Assert.True(File.ReadAllBytes(path).AsSpan().SequenceEqual(content), $"round {round}: the path does not hold the new content");
        }
        Assert.True(WaitUntil(() => HandlesToDeleted(path) == 0), "a replaced file's handle was left open");
    }

    [LinuxFact]
    public void Small_files_links_missing_paths_and_fifos_are_not_held()
    {
        using var dir = new TempDirectory();
        var small = dir.Combine("small.h5");
        File.WriteAllBytes(small, Filled(ReplacedFile.HoldFrom - 1, 1));
        var large = dir.Combine("large.h5");
        File.WriteAllBytes(large, Filled(ReplacedFile.HoldFrom, 1));
        var link = dir.Combine("link.h5");
        File.CreateSymbolicLink(link, large);
        var fifo = dir.Combine("fifo.h5");
        using (var mkfifo = Process.Start("mkfifo", [fifo])) mkfifo.WaitForExit();
        Assert.True(File.Exists(fifo), "mkfifo did not create the FIFO");

        Assert.False(ReplacedFile.Hold(small).IsHeld);
        Assert.False(ReplacedFile.Hold(link).IsHeld);              // the rename replaces the link, not its target
        Assert.False(ReplacedFile.Hold(dir.Combine("none.h5")).IsHeld);
        var fifoHold = Task.Run(() => ReplacedFile.Hold(fifo).IsHeld);
        Assert.True(fifoHold.Wait(TimeSpan.FromSeconds(10)), "holding a FIFO blocked (it was opened)");
        Assert.False(fifoHold.Result);
    }

    [Fact]
    public void A_temporary_h5_is_created_new_and_never_written_over_an_existing_file()
    {
        using var dir = new TempDirectory();
        var path = dir.Combine("taken.h5");
        File.WriteAllText(path, "keep");
        Assert.Throws<IOException>(() => Hdf5Output.WriteNewFile(new PureHDF.H5File(), path));
        Assert.Equal("keep", File.ReadAllText(path));
    }

    static byte[] Filled(long length, byte value)
    {
        var bytes = new byte[length];
        Array.Fill(bytes, value);
        return bytes;
    }

    static string Write(string path, byte value)
    {
        File.WriteAllBytes(path, Filled(4096, value));
        return path;
    }

    /// <summary>How many of this process' file descriptors point at <paramref name="path"/> after it was unlinked.</summary>
    static int HandlesToDeleted(string path)
    {
        int count = 0;
        foreach (var fd in Directory.EnumerateFileSystemEntries("/proc/self/fd"))
        {
            string? target;
            try { target = new FileInfo(fd).LinkTarget; }
            catch (IOException) { continue; }   // closed while listed
            if (target == path + " (deleted)") count++;
        }
        return count;
    }

    static bool WaitUntil(Func<bool> condition)
    {
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < TimeSpan.FromSeconds(10))
        {
            if (condition()) return true;
            Thread.Sleep(20);
        }
        return condition();
    }
}
