using Layerwise.Formats;
using Layerwise.Formats.Checkpoint;
using Layerwise.Models;
using static TorchSharp.torch;

namespace Layerwise.Tests.Formats.Writers;

/// <summary>A theory that needs the small file system .ci/run mounts (<c>LAYERWISE_SMALL_DISK</c>): skipped with a message without it.</summary>
public sealed class SmallDiskTheoryAttribute : TheoryAttribute
{
    public SmallDiskTheoryAttribute()
    {
        var dir = Environment.GetEnvironmentVariable("LAYERWISE_SMALL_DISK");
        if (string.IsNullOrEmpty(dir) || !Directory.Exists(dir))
            Skip = "Disk-full test skipped: LAYERWISE_SMALL_DISK names no folder. .ci/run mounts a 5 MB tmpfs there when it runs as root " +
                   "(mount -t tmpfs -o size=5m tmpfs DIR; export LAYERWISE_SMALL_DISK=DIR).";
    }
}

/// <summary>
/// Saving over a file on a full disk: the save throws an <see cref="IOException"/> that names the
/// target (not PureHDF's TargetInvocationException), the previous file still loads with its values,
/// no temporary file is left filling the disk, and once space is freed the next save succeeds.
/// Runs on the small tmpfs of .ci/run (<see cref="SmallDiskTheoryAttribute"/>).
/// </summary>
public class DiskFullTests
{
    [SmallDiskTheory]
    [InlineData("model.h5")]
    [InlineData("model.keras")]
    [InlineData("model")]
    [InlineData("model.weights.h5")]
    [InlineData("cp.ckpt")]
    public void A_save_that_fills_the_disk_throws_IOException_keeps_the_previous_file_and_leaves_no_temp(string target)
    {
        var dir = Path.Combine(Environment.GetEnvironmentVariable("LAYERWISE_SMALL_DISK")!, Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(dir);
        var filler = Path.Combine(dir, "filler");
        try
        {
            var path = Path.Combine(dir, target);
            var model = TutorialModel.Create(hidden: 256, compile: false);   // about 0.8 MB of weights
            Fill(model, 1);
            Save(model, path);
            long saved = Size(path);

            // Leave half of one save's worth of space: the next save fails midway.
            FillDisk(filler, leaveFree: saved / 2);
            Fill(model, 2);
            var error = Assert.ThrowsAny<IOException>(() => Save(model, path));
            Assert.Equal(typeof(IOException), error.GetType());
            Assert.Contains(Path.GetFullPath(path), error.Message, StringComparison.Ordinal);
            Assert.Contains("disk is full", error.Message, StringComparison.Ordinal);
            DeferredDeletion.WaitForPending();
            Assert.DoesNotContain(Directory.EnumerateFileSystemEntries(dir), TempFiles.IsTemporaryName);
            Assert.Equal(1f, LoadedValue(path));

            File.Delete(filler);
            Save(model, path);
            Assert.Equal(2f, LoadedValue(path));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    static void Save(Model model, string path)
    {
        if (path.EndsWith(".weights.h5", StringComparison.Ordinal) || path.EndsWith(".ckpt", StringComparison.Ordinal)) model.SaveWeights(path);
        else model.Save(path);
    }

    static float LoadedValue(string path)
    {
        Model model;
        if (path.EndsWith(".weights.h5", StringComparison.Ordinal) || path.EndsWith(".ckpt", StringComparison.Ordinal))
        {
            model = TutorialModel.Create(hidden: 256, compile: false);
            model.LoadWeights(path);
        }
        else
        {
            model = Model.Load(path, compile: false);
        }
        var values = model.Weights.SelectMany(w => { using var c = w.ToCpu(); return c.data<float>().ToArray(); }).Distinct().ToList();
        Assert.Single(values);
        return values[0];
    }

    static void Fill(Model model, float value)
    {
        using (no_grad())
            foreach (var w in model.Weights) w.Value.fill_(value);
    }

    static long Size(string path) => Directory.Exists(path)
        ? Directory.EnumerateFiles(path, "*", SearchOption.AllDirectories).Sum(f => new FileInfo(f).Length)
        : path.EndsWith(".ckpt", StringComparison.Ordinal)
            ? Directory.EnumerateFiles(Path.GetDirectoryName(path)!, Path.GetFileName(path) + ".*").Sum(f => new FileInfo(f).Length)
            : new FileInfo(path).Length;

    /// <summary>Writes <paramref name="path"/> until the disk is full, then gives back <paramref name="leaveFree"/> bytes.</summary>
    static void FillDisk(string path, long leaveFree)
    {
        var chunk = new byte[64 << 10];
        using (var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1))
        {
            try
            {
                while (true) stream.Write(chunk);
            }
            catch (IOException) { }
        }
        using var shrink = new FileStream(path, FileMode.Open, FileAccess.Write);
        shrink.SetLength(Math.Max(0, shrink.Length - leaveFree));
    }
}
