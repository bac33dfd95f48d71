using System.Runtime.InteropServices;

namespace Layerwise.Formats;

/// <summary>
/// Swaps two directories in one atomic step where the operating system can: Linux's
/// <c>renameat2(RENAME_EXCHANGE)</c> (glibc 2.28+; ext4, xfs, btrfs, tmpfs and overlayfs support it).
/// Elsewhere (Windows, macOS, file systems without it) <see cref="TryExchange"/> returns false and the
/// caller falls back to two renames.
/// </summary>
internal static class DirectoryExchange
{
    const int AtFdCwd = -100;
    const uint RenameExchange = 2;
    const int EInval = 22, ENoSys = 38, ENotSup = 95, EXDev = 18;
    static bool unavailable = !OperatingSystem.IsLinux();

    [DllImport("libc", EntryPoint = "renameat2", SetLastError = true)]
    static extern int RenameAt2(int oldDirFd, string oldPath, int newDirFd, string newPath, uint flags);

    /// <summary>Exchanges <paramref name="a"/> and <paramref name="b"/> (both must exist); false when this system cannot.</summary>
    public static bool TryExchange(string a, string b)
    {
        if (unavailable) return false;
        int result;
        try
        {
            result = RenameAt2(AtFdCwd, a, AtFdCwd, b, RenameExchange);
        }
        catch (Exception e) when (e is EntryPointNotFoundException or DllNotFoundException)
        {
            unavailable = true;
            return false;
        }
        if (result == 0) return true;
        int errno = Marshal.GetLastPInvokeError();
        if (errno is EInval or ENoSys or ENotSup or EXDev) return false;
        throw new IOException($"Cannot swap directory \"{a}\" into \"{b}\": {Marshal.GetPInvokeErrorMessage(errno)} (errno {errno}).", errno);
    }
}
