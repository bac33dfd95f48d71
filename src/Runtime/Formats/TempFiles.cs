using System.ComponentModel;
using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Layerwise.Formats;

/// <summary>
/// Names of the temporary files and folders that saves write beside their targets, and the sweep
/// that removes the ones a killed process left behind. Every name ends in
/// <c>.tmp-&lt;pid&gt;-&lt;32 hex digits&gt;</c> (<see cref="Beside"/>, <see cref="Hidden"/>): the id of the
/// process that writes it and a random part. A sweep deletes such an entry only when its owner is
/// dead, so two processes saving into one folder never delete each other's live temporary files
/// (an age limit alone would: a large save can take minutes, a lock would need a lock file that is
/// litter itself). "Dead" means no process has that id, or the one that has it started after the
/// entry was last written (the id was reused, as happens to a container's process after a restart).
/// What cannot be told from here: a writer in another PID namespace or on another machine sharing
/// the folder (a network file system) looks dead; give such writers separate folders.
/// </summary>
internal static class TempFiles
{
    const string Marker = ".tmp-";

    /// <summary>Before the <c>&lt;pid&gt;-&lt;hex&gt;</c> part: <c>.tmp-</c> for scratch content, <c>.old-</c> for a previous directory moved aside.</summary>
    static readonly Regex Owned = new(@"\.(?<kind>tmp|old)-(?<pid>[0-9]{1,10})-[0-9a-f]{32}$", RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture);

    /// <summary>What versions before the owner id wrote (<c>.name.&lt;guid&gt;.tmp</c>): removed once an hour old.</summary>
    static readonly Regex Legacy = new(@"^\..+\.[0-9a-f]{32}\.tmp$", RegexOptions.CultureInvariant);

    static readonly TimeSpan LegacyAge = TimeSpan.FromHours(1);

    /// <summary>Process start times are known to about a second (the boot time in /proc/stat has whole seconds).</summary>
    static readonly TimeSpan StartTimeSlack = TimeSpan.FromSeconds(2);

    /// <summary>A fresh temporary name: <paramref name="finalPath"/> followed by <c>.tmp-&lt;pid&gt;-&lt;hex&gt;</c>.</summary>
    public static string Beside(string finalPath) => finalPath + Suffix(Marker);

    /// <summary>A fresh hidden temporary name in <paramref name="finalPath"/>'s folder: <c>.name.tmp-&lt;pid&gt;-&lt;hex&gt;</c>.</summary>
    public static string Hidden(string finalPath) => HiddenWith(finalPath, Marker);

    /// <summary>A fresh hidden name for a previous directory moved aside (<c>.name.old-&lt;pid&gt;-&lt;hex&gt;</c>): a sweep moves it back when nothing took its place.</summary>
    public static string Aside(string finalPath) => HiddenWith(finalPath, ".old-");

    static string HiddenWith(string finalPath, string marker)
    {
        var full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(finalPath));
        return Path.Combine(Path.GetDirectoryName(full) ?? ".", "." + Path.GetFileName(full) + Suffix(marker));
    }

    static string Suffix(string marker) => $"{marker}{Environment.ProcessId}-{Guid.NewGuid():N}";

    /// <summary>Whether <paramref name="path"/>'s name is one this class hands out (any owner).</summary>
    public static bool IsTemporaryName(string path) => Owned.IsMatch(Path.GetFileName(Path.TrimEndingDirectorySeparator(path)));

    /// <summary>
    /// Deletes the temporary files and folders in <paramref name="directory"/> whose owning process
    /// is dead. A previous model directory moved aside by a save that died before moving the new
    /// one in (<see cref="Aside"/>) is moved back instead when its place is still empty. Failures
    /// to delete are ignored: the entry stays for the next sweep. Returns how many entries went.
    /// </summary>
    public static int SweepStale(string directory)
    {
        if (!Directory.Exists(directory)) return 0;
        int removed = 0;
        IEnumerable<string> entries;
        try { entries = Directory.EnumerateFileSystemEntries(directory).ToList(); }
        catch (IOException) { return 0; }
        catch (UnauthorizedAccessException) { return 0; }
        foreach (var entry in entries)
        {
            var name = Path.GetFileName(entry);
            var match = Owned.Match(name);
            try
            {
                var written = Directory.Exists(entry) ? Directory.GetLastWriteTimeUtc(entry) : File.GetLastWriteTimeUtc(entry);
                if (match.Success)
                {
                    if (!int.TryParse(match.Groups["pid"].ValueSpan, out var pid) || OwnerIsAlive(pid, written)) continue;
                    if (match.Groups["kind"].Value == "old" && RestoreAside(entry, name[..match.Index])) { removed++; continue; }
                }
                else if (!Legacy.IsMatch(name) || DateTime.UtcNow - written < LegacyAge)
                {
                    continue;
                }
                if (Directory.Exists(entry)) Directory.Delete(entry, recursive: true);
                else File.Delete(entry);
                removed++;
            }
            catch (IOException) { }
            catch (UnauthorizedAccessException) { }
        }
        return removed;
    }

    /// <summary>Moves a previous directory back to <c>hiddenName</c> without its leading dot when that place is empty.</summary>
    static bool RestoreAside(string entry, string hiddenName)
    {
        if (!hiddenName.StartsWith('.')) return false;
        var target = Path.Combine(Path.GetDirectoryName(entry) ?? ".", hiddenName[1..]);
        if (Directory.Exists(target) || File.Exists(target)) return false;
        Directory.Move(entry, target);
        return true;
    }

    /// <summary>Whether process <paramref name="pid"/> runs and started before <paramref name="writtenUtc"/> (so it can be the writer).</summary>
    internal static bool OwnerIsAlive(int pid, DateTime writtenUtc)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            if (process.HasExited) return false;
            return process.StartTime.ToUniversalTime() <= writtenUtc + StartTimeSlack;
        }
        catch (ArgumentException) { return false; }            // no such process
        catch (InvalidOperationException) { return false; }    // it exited meanwhile
        catch (Win32Exception) { return true; }                // cannot tell: keep the entry
        catch (NotSupportedException) { return true; }
    }
}
