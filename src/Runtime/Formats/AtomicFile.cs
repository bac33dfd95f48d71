namespace Layerwise.Formats;

/// <summary>
/// Saves that never leave a half-written file behind: the content is written to a temporary file
/// beside the target (same directory, so the rename cannot cross file systems), flushed to disk,
/// then renamed over the target. If anything fails the temporary file is deleted and the previous
/// file, if any, is untouched; an I/O failure (a full disk) surfaces as one <see cref="IOException"/>
/// that names the target (<see cref="SaveFailure"/>). After a successful save, temporary files that
/// killed processes left in the folder are swept (<see cref="TempFiles.SweepStale"/>). A large file
/// replaced is freed after the save returns rather than inside the rename (<see cref="ReplacedFile"/>).
/// (PureHDF leaves a corrupt file when a write fails: see DESIGN.md.)
/// </summary>
internal static class AtomicFile
{
    /// <summary>Writes <paramref name="path"/> through <paramref name="write"/>, which receives the temporary path.</summary>
    public static void Write(string path, Action<string> write)
    {
        var full = Path.GetFullPath(path);
        var directory = Path.GetDirectoryName(full) ?? ".";
        Directory.CreateDirectory(directory);
        var temporary = TempFiles.Hidden(full);
        try
        {
            write(temporary);
            using (var stream = new FileStream(temporary, FileMode.Open, FileAccess.ReadWrite, FileShare.None))
                stream.Flush(flushToDisk: true);
            var replaced = ReplacedFile.Hold(full);
            try
            {
                File.Move(temporary, full, overwrite: true);
            }
            catch
            {
                replaced.Release();
                throw;
            }
            replaced.ReleaseInBackground();
        }
        catch (Exception e)
        {
            TryDelete(temporary);
            if (SaveFailure.For(full, e) is { } failure) throw failure;
            throw;
        }
        TempFiles.SweepStale(directory);
    }

    /// <summary>
    /// Replaces directory <paramref name="path"/> by one <paramref name="write"/> fills. The new
    /// directory is written beside, its files flushed, then swapped in with one atomic exchange
    /// (<see cref="DirectoryExchange"/>): a reader sees the previous directory or the new one, never
    /// neither, and the previous one (now under the temporary name) is deleted last. Where the file
    /// system cannot exchange, the previous directory is moved aside, the new one moved in, then the
    /// previous one deleted; a process killed between the two moves leaves the previous directory
    /// aside, and the next save in the folder moves it back (<see cref="TempFiles.SweepStale"/>).
    /// </summary>
    public static void WriteDirectory(string path, Action<string> write)
    {
        var full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(path));
        var parent = Path.GetDirectoryName(full) ?? ".";
        Directory.CreateDirectory(parent);
        var temporary = TempFiles.Hidden(full);
        Directory.CreateDirectory(temporary);
        try
        {
            write(temporary);
            foreach (var file in Directory.EnumerateFiles(temporary, "*", SearchOption.AllDirectories))
                using (var stream = new FileStream(file, FileMode.Open, FileAccess.ReadWrite, FileShare.None))
                    stream.Flush(flushToDisk: true);
            if (File.Exists(full))
                throw new IOException($"Cannot save a model directory at \"{full}\": a file of that name exists.");
            if (!MoveIntoEmptyPlace(temporary, full) && !DirectoryExchange.TryExchange(temporary, full))
                MoveAsideThenIn(temporary, full);
        }
        catch (Exception e)
        {
            TryDeleteDirectory(temporary);
            if (SaveFailure.For(full, e) is { } failure) throw failure;
            throw;
        }
        // After an exchange the temporary name holds the previous directory.
        TryDeleteDirectory(temporary);
        TempFiles.SweepStale(parent);
    }

    /// <summary>Renames <paramref name="temporary"/> to <paramref name="full"/> when nothing is there; false when something is (or appeared meanwhile).</summary>
    static bool MoveIntoEmptyPlace(string temporary, string full)
    {
        if (Directory.Exists(full)) return false;
        try
        {
            Directory.Move(temporary, full);
            return true;
        }
        catch (IOException) when (Directory.Exists(full))
        {
            return false;   // another writer's save landed first
        }
    }

    /// <summary>The fallback without an atomic exchange: a reader can find nothing at the path between the two moves.</summary>
    static void MoveAsideThenIn(string temporary, string full)
    {
        var previous = TempFiles.Aside(full);
        Directory.Move(full, previous);
        try
        {
            Directory.Move(temporary, full);
        }
        catch
        {
            if (!Directory.Exists(full)) Directory.Move(previous, full);
            throw;
        }
        TryDeleteDirectory(previous);
    }

    static void TryDelete(string path)
    {
        try { File.Delete(path); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }

    static void TryDeleteDirectory(string path)
    {
        try { if (Directory.Exists(path)) Directory.Delete(path, recursive: true); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }
}
