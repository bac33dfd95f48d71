using Microsoft.Win32.SafeHandles;

namespace Layerwise.Formats;

/// <summary>
/// The file a save renames over, held open across the rename and closed on a thread-pool thread. A rename that
/// drops a file's last name frees its blocks inside the rename when nothing holds the file open: for a 420 MB
/// file on ext4 that took 150-330 ms (as long as the fsync of the new file), on the thread that saves. Held open,
/// the rename only unlinks the name, and the blocks are freed when the handle closes, after the save has
/// returned. The new file is complete and fsync'd before the rename either way: this moves when the old file's
/// space comes back, never what the path holds. Linux only (measured there; Windows may refuse to rename over an
/// open file), and only large regular files: a small one frees fast, and opening a FIFO would block.
/// Checkpoint shards get the same by renaming the old file away and deleting it later
/// (<see cref="Checkpoint.DeferredDeletion"/>); a single-file save keeps its one rename over the target instead.
/// A process that exits closes the handles it still holds (the kernel then frees the blocks).
/// </summary>
internal sealed class ReplacedFile
{
    /// <summary>Smaller files are left to the rename to free.</summary>
    public const long HoldFrom = 16L << 20;

    readonly SafeFileHandle? handle;

    ReplacedFile(SafeFileHandle? handle) => this.handle = handle;

    /// <summary>Opens the file at <paramref name="path"/> when it is one worth holding; otherwise holds nothing.</summary>
    public static ReplacedFile Hold(string path)
    {
        if (!OperatingSystem.IsLinux()) return new(null);
        try
        {
            var info = new FileInfo(path);
            // A symbolic link is replaced itself (its target keeps its name); a FIFO or device reports length 0.
            if (!info.Exists || info.LinkTarget is not null || info.Length < HoldFrom) return new(null);
            return new(File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return new(null);   // gone meanwhile, or unreadable: the rename frees it as before
        }
    }

    /// <summary>Whether a file is held (for tests).</summary>
    internal bool IsHeld => handle is not null;

    /// <summary>After the rename: closes the handle on a thread-pool thread, where the kernel frees the old blocks.</summary>
    public void ReleaseInBackground()
    {
        if (handle is not null)
            ThreadPool.UnsafeQueueUserWorkItem(static h => h.Dispose(), handle, preferLocal: false);
    }

    /// <summary>When the rename failed: closes the handle now (the file still has its name, nothing is freed).</summary>
    public void Release() => handle?.Dispose();
}
