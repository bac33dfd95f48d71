namespace Layerwise.Formats;

/// <summary>
/// Saves that never leave a half-written file behind: the content is written to a temporary file
/// beside the target (same directory, so the rename cannot cross file systems), flushed to disk,
/// then renamed over the target. If anything fails the temporary file is deleted and the previous
/// file, if any, is untouched. (PureHDF leaves a corrupt file when a write fails: see DESIGN.md.)
/// </summary>
internal static class AtomicFile
{
    /// <summary>Writes <paramref name="path"/> through <paramref name="write"/>, which receives the temporary path.</summary>
    public static void Write(string path, Action<string> write)
    {
        var full = Path.GetFullPath(path);
        var directory = Path.GetDirectoryName(full) ?? ".";
        Directory.CreateDirectory(directory);
        var temporary = Path.Combine(directory, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
        try
        {
            write(temporary);
            using (var stream = new FileStream(temporary, FileMode.Open, FileAccess.ReadWrite, FileShare.None))
                stream.Flush(flushToDisk: true);
            File.Move(temporary, full, overwrite: true);
        }
        catch
        {
            TryDelete(temporary);
            throw;
        }
    }

    /// <summary>
    /// Replaces directory <paramref name="path"/> by one <paramref name="write"/> fills: the new
    /// directory is written beside, then swapped in (the old one is moved aside first and deleted last).
    /// </summary>
    public static void WriteDirectory(string path, Action<string> write)
    {
        var full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(path));
        var parent = Path.GetDirectoryName(full) ?? ".";
        Directory.CreateDirectory(parent);
        var name = Path.GetFileName(full);
        var temporary = Path.Combine(parent, $".{name}.{Guid.NewGuid():N}.tmp");
        var previous = Path.Combine(parent, $".{name}.{Guid.NewGuid():N}.old");
        Directory.CreateDirectory(temporary);
        try
        {
            write(temporary);
            if (Directory.Exists(full)) Directory.Move(full, previous);
            else if (File.Exists(full))
                throw new IOException($"Cannot save a model directory at \"{full}\": a file of that name exists.");
            Directory.Move(temporary, full);
        }
        catch
        {
            if (Directory.Exists(previous) && !Directory.Exists(full)) Directory.Move(previous, full);
            TryDeleteDirectory(temporary);
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
