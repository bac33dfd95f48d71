using System.Reflection;

namespace Layerwise.Formats;

/// <summary>
/// Turns an I/O failure during a save into one <see cref="IOException"/> that names the target and
/// says what happened to it. PureHDF calls its writers through reflection, so a full disk reaches
/// the caller as a <see cref="TargetInvocationException"/> around the <see cref="IOException"/>; and
/// the raw message names a temporary file the user never asked for.
/// </summary>
internal static class SaveFailure
{
    /// <summary>The I/O error inside <paramref name="error"/> (itself, or wrapped by reflection or a task), or null.</summary>
    public static IOException? IoErrorIn(Exception error)
    {
        for (Exception? e = error; e is not null; e = e.InnerException)
        {
            if (e is IOException io) return io;
            if (e is not (TargetInvocationException or AggregateException or TypeInitializationException)) return null;
        }
        return null;
    }

    /// <summary>
    /// The exception to throw for <paramref name="error"/> raised while saving <paramref name="target"/>:
    /// an <see cref="IOException"/> saying the previous file is unchanged when the cause is I/O, else null
    /// (rethrow the original).
    /// </summary>
    public static IOException? For(string target, Exception error)
    {
        var io = IoErrorIn(error);
        if (io is null) return null;
        var what = IsDiskFull(io) ? "the disk is full" : io.Message;
        return new IOException(
            $"Saving \"{target}\" failed: {what}. What was at that path before is unchanged, and the partly written temporary files were deleted" +
            (IsDiskFull(io) ? "; free some space (or save elsewhere) and save again." : "."), io);
    }

    /// <summary>ENOSPC (28) or EDQUOT (122) on Linux, ERROR_HANDLE_DISK_FULL (39) or ERROR_DISK_FULL (112) on Windows; .NET keeps the code in HResult.</summary>
    public static bool IsDiskFull(IOException error)
    {
        int code = error.HResult & 0xFFFF;
        return OperatingSystem.IsWindows() ? code is 39 or 112 : code is 28 or 122 || (OperatingSystem.IsMacOS() && code == 69);
    }
}
