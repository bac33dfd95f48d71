namespace Layerwise.Formats;

/// <summary>
/// The length of a file's content, following symbolic links. On Unix <see cref="FileInfo.Length"/> of a
/// link is the link's own size (its target path), so a model reached through
/// <c>latest.h5 -> run_42.h5</c> looked truncated to every size check.
/// </summary>
internal static class FileLength
{
    /// <summary>The file at <paramref name="path"/>, or the final target when it is a symbolic link.</summary>
    public static FileInfo Resolve(string path)
    {
        var info = new FileInfo(path);
        return info.LinkTarget is not null && info.ResolveLinkTarget(returnFinalTarget: true) is FileInfo target ? target : info;
    }

    public static long Of(string path) => Resolve(path).Length;
}
