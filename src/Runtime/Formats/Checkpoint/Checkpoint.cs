using Layerwise.Formats;
using Layerwise.Formats.Checkpoint;
using Layerwise.Formats.SavedModel;

namespace Layerwise;

/// <summary>
/// Finding checkpoints on disk (TensorFlow's <c>tf.train.latest_checkpoint</c> and friends). In the
/// <c>Layerwise</c> namespace, beside <see cref="Backend"/>, so that <c>Checkpoint.Latest(dir)</c> reads as in
/// Keras code; the format itself lives in <c>Layerwise.Formats.Checkpoint</c>.
/// </summary>
public static class Checkpoint
{
    /// <summary>
    /// The prefix of the latest checkpoint in <paramref name="directory"/>, as its <c>checkpoint</c>
    /// state file names it (joined to the directory when relative, e.g. <c>training_2/cp-0050.ckpt</c>),
    /// or null when there is no state file or the checkpoint it names has no files. TensorFlow's
    /// <c>tf.train.latest_checkpoint</c>.
    /// </summary>
    public static string? Latest(string directory)
    {
        ArgumentNullException.ThrowIfNull(directory);
        var state = ReaderBoundary.RunCheckpoint(Path.Combine(directory, CheckpointState.FileName), () => CheckpointState.Read(directory));
        if (state is null) return null;
        var prefix = Path.IsPathRooted(state.ModelCheckpointPath)
            ? state.ModelCheckpointPath
            : Path.Combine(directory, state.ModelCheckpointPath);
        return Exists(prefix) ? prefix : null;
    }

    /// <summary>Whether a checkpoint with this prefix exists (its index file does).</summary>
    public static bool Exists(string prefix) => BundleFiles.Exists(prefix);

    /// <summary>The files of the checkpoint at <paramref name="prefix"/>: the index first, then its data shards.</summary>
    public static IReadOnlyList<string> Files(string prefix)
    {
        using var reader = BundleReader.Open(prefix);
        return [reader.IndexPath, .. Enumerable.Range(0, reader.NumShards).Select(s => BundleFiles.DataPath(prefix, s, reader.NumShards))];
    }

    /// <summary>
    /// The tensors a checkpoint holds — key, TensorFlow type and shape, in key order — read from its
    /// index alone, as TensorFlow's <c>tf.train.list_variables</c> does: the data shards need not be
    /// present (reading values still needs them). <paramref name="checkpoint"/> is a prefix
    /// (<c>training_1/cp.ckpt</c>), the index file itself (<c>cp.ckpt.index</c>), a directory whose
    /// <c>checkpoint</c> state file names the latest checkpoint, or a TensorFlow SavedModel directory
    /// (its <c>variables/variables</c>). The object graph's entry (<c>_CHECKPOINTABLE_OBJECT_GRAPH</c>,
    /// a string scalar) is listed too, as TensorFlow lists it. The index is validated as
    /// <see cref="BundleReader.Open"/> validates it (structure, CRCs, every entry).
    /// </summary>
    /// <exception cref="CheckpointNotFoundException">No index at that path, or a directory without a checkpoint.</exception>
    /// <exception cref="CorruptCheckpointException">The index is damaged or uses an unsupported feature.</exception>
    public static IReadOnlyList<CheckpointVariable> ListVariables(string checkpoint)
    {
        ArgumentException.ThrowIfNullOrEmpty(checkpoint);
        string prefix = checkpoint;
        if (Directory.Exists(checkpoint))
        {
            prefix = SavedModelDirectory.IsSavedModel(checkpoint)
                ? SavedModelDirectory.VariablesPrefix(checkpoint)
                : Latest(checkpoint) ?? throw new CheckpointNotFoundException(
                    $"No checkpoint in directory \"{checkpoint}\": it has no \"checkpoint\" state file naming one whose index exists. " +
                    "Pass the checkpoint's prefix (e.g. \"training_1/cp.ckpt\") or its .index file.", checkpoint);
        }
        else if (checkpoint.EndsWith(".index", StringComparison.Ordinal) && File.Exists(checkpoint))
        {
            prefix = checkpoint[..^".index".Length];
        }
        var index = ReaderBoundary.RunCheckpoint(prefix, () => BundleReader.ReadIndex(prefix));
        return [.. index.Entries.Select(e => new CheckpointVariable(e.Key, e.Entry.DType, e.Entry.Shape))];
    }

    /// <summary>Records <paramref name="prefix"/> as the latest checkpoint of its directory (the state file, written last).</summary>
    public static void UpdateState(string prefix, IEnumerable<string>? allPrefixes = null)
    {
        var directory = BundleFiles.DirectoryOf(prefix);
        string Relative(string p) => Path.GetRelativePath(directory, Path.GetFullPath(p));
        var all = (allPrefixes ?? [prefix]).Select(Relative).ToList();
        if (!all.Contains(Relative(prefix))) all.Add(Relative(prefix));
        new CheckpointState(Relative(prefix), all).Write(directory);
    }
}
