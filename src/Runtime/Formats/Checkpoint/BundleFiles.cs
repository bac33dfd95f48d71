namespace Layerwise.Formats.Checkpoint;

/// <summary>
/// The file names of a bundle with prefix <c>P</c> (<c>P.index</c>, <c>P.data-00000-of-00001</c>)
/// and the replace protocol that keeps the previous bundle under the same prefix loadable if the
/// process dies at any instant while a new one is saved:
/// <list type="number">
/// <item>new shards and index are written to temporary files beside the final ones and flushed to disk;</item>
/// <item>the old index is renamed to <c>P.index.old</c>, then each old shard to <c>….old</c>;</item>
/// <item>the new shards are renamed into place, then the new index (the commit point);</item>
/// <item>the <c>.old</c> files are removed: the index at once; a shard of
/// <see cref="DeferDeletionFromBytes"/> or more is renamed to a fresh temporary name and deleted in
/// the background (<see cref="DeferredDeletion"/>), so that the save does not wait while the file
/// system frees the previous checkpoint's blocks.</item>
/// </list>
/// A reader that finds no <c>P.index</c> but a <c>P.index.old</c> knows a swap was cut short and
/// reads the old index with its shards (<c>….old</c> where it exists, else the plain name, which
/// then still holds old data: new shards are only renamed in after every old one has moved).
/// Step 4 cannot weaken that: it starts after the commit point, when <c>P.index</c> names the new,
/// complete bundle and no reader looks at <c>.old</c> files any more. A shard is renamed away from
/// its <c>.old</c> name before its deletion is queued, because the next save may move the then
/// current shard to that same <c>.old</c> name (step 2), and a late deletion by name would remove
/// the fallback of a swap in progress; the fresh name is never reused. A process killed before the
/// deletion ran leaves a temporary name, which the next save at the prefix deletes like any other
/// leftover (<see cref="DeleteStaleTemps"/>).
/// </summary>
internal static class BundleFiles
{
    public const string OldSuffix = ".old";

    /// <summary>
    /// Files this large are deleted in the background; smaller ones at once (deleting one costs about
    /// a millisecond, and the directory then holds only the bundle when the save returns). Settable
    /// for the crash test's child process, which sets 0 so that its kills also land while deletions
    /// are pending.
    /// </summary>
    internal static long DeferDeletionFromBytes { get; set; } = 4 << 20;

    public static string IndexPath(string prefix) => prefix + ".index";

    public static string DataPath(string prefix, int shard, int numShards) => $"{prefix}.data-{shard:D5}-of-{numShards:D5}";

    /// <summary>The index to read and how to name its shards, following an interrupted swap if there was one; null when neither exists.</summary>
    public static (string IndexPath, Func<int, int, string> DataPath)? Resolve(string prefix)
    {
        var index = IndexPath(prefix);
        if (File.Exists(index)) return (index, (s, n) => DataPath(prefix, s, n));
        if (File.Exists(index + OldSuffix))
            return (index + OldSuffix, (s, n) =>
            {
                var data = DataPath(prefix, s, n);
                return File.Exists(data + OldSuffix) ? data + OldSuffix : data;
            });
        return null;
    }

    /// <summary>Whether a bundle (complete, or recoverable from an interrupted swap) exists at <paramref name="prefix"/>.</summary>
    public static bool Exists(string prefix) => Resolve(prefix) is not null;

    public static string DirectoryOf(string prefix)
    {
        var dir = Path.GetDirectoryName(Path.GetFullPath(prefix));
        return string.IsNullOrEmpty(dir) ? "." : dir;
    }

    /// <summary>A fresh temporary name beside <paramref name="finalPath"/> (<see cref="TempFiles.Beside"/>: it carries the writer's process id).</summary>
    public static string TempPath(string finalPath) => TempFiles.Beside(finalPath);

    /// <summary>
    /// Removes temporary files that dead processes left in <paramref name="prefix"/>'s folder (any
    /// prefix's: a killed save at <c>cp-0003.ckpt</c> is never retried under that name). Temporary files
    /// of live processes stay, so two writers in one folder do not delete each other's (<see cref="TempFiles"/>).
    /// </summary>
    public static void DeleteStaleTemps(string prefix) => TempFiles.SweepStale(DirectoryOf(prefix));

    /// <summary>
    /// Moves the committed files in <paramref name="prefix"/> to <c>.old</c> names (steps 2 of the
    /// protocol), and renames the new ones in (<paramref name="newShards"/> then <paramref name="newIndex"/>).
    /// </summary>
    public static void Swap(string prefix, IReadOnlyList<(string Temp, string Final)> newShards, string newIndex)
    {
        var index = IndexPath(prefix);
        var oldIndex = index + OldSuffix;
        var dir = DirectoryOf(prefix);
        var name = Path.GetFileName(prefix);
        List<string> Shards() => [.. Directory.EnumerateFiles(dir, name + ".data-*")
            .Where(f => !TempFiles.IsTemporaryName(f) && !f.EndsWith(OldSuffix, StringComparison.Ordinal))];

        if (File.Exists(index))
        {
            // A complete bundle is there: any .old files are leftovers of a finished swap.
            TryDelete(oldIndex);
            foreach (var f in Directory.EnumerateFiles(dir, name + ".data-*" + OldSuffix).ToList()) Discard(f);
            File.Move(index, oldIndex);
            foreach (var shard in Shards()) File.Move(shard, shard + OldSuffix);
        }
        else if (File.Exists(oldIndex))
        {
            // An earlier swap was cut short: the .old index is the last complete bundle; shards
            // without an .old twin are still old data and move aside too.
            foreach (var shard in Shards())
                if (!File.Exists(shard + OldSuffix)) File.Move(shard, shard + OldSuffix);
        }
        foreach (var (temp, final) in newShards) File.Move(temp, final, overwrite: true);
        File.Move(newIndex, index, overwrite: true);
        // Committed: from here on nothing reads the .old files.
        TryDelete(oldIndex);
        foreach (var f in Directory.EnumerateFiles(dir, name + ".data-*" + OldSuffix).ToList()) Discard(f);
    }

    /// <summary>Removes a file that no reader needs: small ones now, large ones in the background under a fresh name.</summary>
    static void Discard(string path)
    {
        try
        {
            if (FileLength.Of(path) < DeferDeletionFromBytes)
            {
                File.Delete(path);
                return;
            }
            var trash = TempPath(path);
            File.Move(path, trash);
            DeferredDeletion.Enqueue(trash);
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }

    /// <summary>Deletes every file of the bundle at <paramref name="prefix"/> (for maxToKeep); large data files go in the background, as in <see cref="Swap"/>.</summary>
    public static void Delete(string prefix)
    {
        var dir = DirectoryOf(prefix);
        if (!Directory.Exists(dir)) return;
        var name = Path.GetFileName(prefix);
        TryDelete(IndexPath(prefix));
        TryDelete(IndexPath(prefix) + OldSuffix);
        foreach (var f in Directory.EnumerateFiles(dir, name + ".data-*").ToList()) Discard(f);
    }

    static void TryDelete(string path)
    {
        try { File.Delete(path); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }
}
