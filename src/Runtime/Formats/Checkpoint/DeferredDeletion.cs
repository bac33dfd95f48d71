namespace Layerwise.Formats.Checkpoint;

/// <summary>
/// Deletes files that no reader needs any more on a background thread, one at a time, so that a
/// save does not wait while the file system frees their blocks: unlinking the previous 400 MB data
/// file took ~190 ms on this project's machine (ext4 mounted with <c>discard</c>), the largest cost
/// of a save after the fsync of the new data (bench/CheckpointBench/README.md).
/// Callers hand over only files they have already renamed to a unique temporary name
/// (<see cref="BundleFiles.TempPath"/>): a deletion that runs late can then never hit a file that a
/// later save has put under the old name, and one that never runs (the process was killed) leaves
/// a name that the next save at that prefix removes (<see cref="BundleFiles.DeleteStaleTemps"/>).
/// A process that exits normally waits for the pending deletions first.
/// </summary>
internal static class DeferredDeletion
{
    static readonly Lock gate = new();
    static Task pending = Task.CompletedTask;
    static bool waitsAtExit;

    /// <summary>Queues the deletion of <paramref name="path"/>, which must be a name nothing else will reuse.</summary>
    public static void Enqueue(string path)
    {
        lock (gate)
        {
            if (!waitsAtExit)
            {
                AppDomain.CurrentDomain.ProcessExit += (_, _) => WaitForPending();
                waitsAtExit = true;
            }
            // One at a time: concurrent unlinks of large files only contend for the same journal.
            pending = pending.ContinueWith(_ => TryDelete(path), CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
        }
    }

    /// <summary>Blocks until every deletion queued so far has run.</summary>
    public static void WaitForPending()
    {
        Task current;
        lock (gate) current = pending;
        current.Wait();
    }

    static void TryDelete(string path)
    {
        try { File.Delete(path); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }
}
