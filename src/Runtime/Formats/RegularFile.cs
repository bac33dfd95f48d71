namespace Layerwise.Formats;

/// <summary>
/// Opening a file a reader was pointed at, only when it is a regular file with content. A FIFO, a
/// character or block device and a socket all report a length of 0, and opening a FIFO for reading
/// blocks until some process writes to it (a FIFO given as a checkpoint index hung forever), so such
/// paths are refused from their metadata, before they are opened. An empty regular file holds no model
/// either. Symbolic links are followed (<see cref="FileLength"/>).
/// </summary>
internal static class RegularFile
{
    /// <summary>
    /// Why <paramref name="path"/> cannot be read as a model file, or null when it can (it exists, is not a
    /// directory and has content). A missing file is <see cref="FileNotFoundException"/>, not a problem here.
    /// </summary>
    public static string? Problem(string path)
    {
        var info = FileLength.Resolve(path);
        if (!info.Exists)
            throw new FileNotFoundException($"No file at \"{path}\".", path);
        if (info.Length == 0)
            return "the file is empty, or is not a regular file (a FIFO, a device or a socket, which are refused without being opened: reading one can block forever)";
        return null;
    }

    /// <summary>Opens a model file for reading after <see cref="Problem"/>; a problem is a <see cref="ModelFileException"/>.</summary>
    public static FileStream OpenRead(string path, string displayPath)
    {
        if (Problem(path) is { } problem) throw new ModelFileException(displayPath, "", problem + ".");
        return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 4096, FileOptions.RandomAccess);
    }
}
