using Layerwise.Formats.Checkpoint;
using Layerwise.Training;

namespace Layerwise.Callbacks;

/// <summary>
/// Keras' <c>BackupAndRestore</c>: at the end of every epoch, backs up what training needs to go on
/// (weights and optimizer state as a TensorFlow checkpoint, then the epoch counter, torch's random
/// state and the History, with MessagePack) into <paramref name="backupDir"/>. When the process is
/// killed and the same <c>Fit</c> is started again with this callback, training continues from the
/// last completed epoch exactly as if it had not stopped (seeded runs give bit-identical weights).
/// The backup is removed when training finishes (unless <paramref name="deleteCheckpoint"/> is false).
/// A damaged backup (a state file or checkpoint that fails its checksum or does not parse, a missing
/// checkpoint, a generator state libtorch would reject) is never half-applied: everything is checked
/// before the model changes, the backup's files are moved into a <c>corrupt-&lt;time&gt;</c> folder
/// beside it (kept for inspection), a warning names that folder, and training starts from epoch 0, so
/// the program can always start again. A backup that is sound but belongs to another architecture is
/// a <see cref="CheckpointMismatchException"/>, as in Keras.
/// </summary>
/// <param name="backupDir">Folder for the backup; use one per training run.</param>
/// <param name="deleteCheckpoint">Remove the backup when <c>Fit</c> completes.</param>
public sealed class BackupAndRestore(string backupDir, bool deleteCheckpoint = true) : Callback
{
    /// <summary>The state file, written last: the backup's commit point.</summary>
    public const string StateFileName = "training_state.msgpack";

    /// <summary>The folder the backup is written to (Keras' <c>backup_dir</c>).</summary>
    public string BackupDir { get; } = string.IsNullOrEmpty(backupDir)
        ? throw new ArgumentException("BackupAndRestore needs a backup directory.", nameof(backupDir))
        : backupDir;

    /// <summary>Whether the backup is removed when <c>Fit</c> completes (Keras' <c>delete_checkpoint</c>).</summary>
    public bool DeleteCheckpoint { get; } = deleteCheckpoint;

    string StatePath => Path.Combine(BackupDir, StateFileName);

    /// <inheritdoc/>
    public override void OnTrainBegin(Logs logs)
    {
        var model = Model!;
        if (!File.Exists(StatePath)) return;
        TrainingState state;
        try
        {
            // Read validates the generator state too, and LoadWeights with verifyFirst checks every file and
            // every CRC before it assigns anything: a bad backup throws here with the model untouched, and
            // training starts afresh from the model's own weights.
            state = TrainingState.Read(StatePath);
            model.LoadWeights(Path.Combine(BackupDir, state.Checkpoint), verifyFirst: true);
        }
        catch (CheckpointException e) when (e is CorruptCheckpointException or CheckpointNotFoundException)
        {
            var quarantine = Quarantine();
            Output.Writer.WriteLine($"WARNING: the backup in \"{BackupDir}\" cannot be resumed from ({e.Message}). " +
                                    $"Its files were moved to \"{quarantine}\"; training starts from the first epoch.");
            return;
        }
        RandomState.Restore(state.RandomState);
        if (model.FitHistory is { } history)
            for (int i = 0; i < state.HistoryEpochs.Count; i++)
                history.OnEpochEnd(state.HistoryEpochs[i], new Logs(state.HistoryValues.Select(kv => new KeyValuePair<string, double>(kv.Key, kv.Value[i]))));
        model.ResumeAtEpoch = state.CompletedEpochs;
    }

    /// <summary>Moves the state file and every checkpoint file of this callback into a new <c>corrupt-*</c> folder.</summary>
    string Quarantine()
    {
        var target = Path.Combine(BackupDir, $"corrupt-{DateTime.UtcNow:yyyyMMdd'T'HHmmss'Z'}-{Guid.NewGuid():N}"[..31]);
        Directory.CreateDirectory(target);
        foreach (var file in Directory.EnumerateFiles(BackupDir, "chkpt-*").Append(StatePath).ToList())
            if (File.Exists(file)) File.Move(file, Path.Combine(target, Path.GetFileName(file)));
        return target;
    }

    /// <inheritdoc/>
    public override void OnEpochEnd(int epoch, Logs logs)
    {
        var model = Model!;
        Directory.CreateDirectory(BackupDir);
        // A new prefix per epoch: the state file names it only once it is complete, then the old one goes.
        var name = $"chkpt-{epoch + 1}";
        model.SaveWeightsWithoutState(Path.Combine(BackupDir, name));
        var history = model.FitHistory;
        var epochs = history?.Epochs.ToList() ?? [];
        epochs.Add(epoch);
        var values = (history?.Values ?? new Dictionary<string, IReadOnlyList<double>>())
            .Select(kv => new KeyValuePair<string, double[]>(kv.Key, [.. kv.Value, logs.TryGetValue(kv.Key, out var v) ? v : double.NaN]))
            .Concat(logs.Where(kv => history is null || !history.Values.ContainsKey(kv.Key))
                        .Select(kv => new KeyValuePair<string, double[]>(kv.Key, [.. Enumerable.Repeat(double.NaN, epochs.Count - 1), kv.Value])))
            .ToList();
        new TrainingState(epoch + 1, name, RandomState.Capture(), epochs, values).Write(StatePath);
        // Every other prefix goes, including one a run killed before this line left behind.
        foreach (var prefix in EarlierPrefixes(name)) BundleFiles.Delete(Path.Combine(BackupDir, prefix));
    }

    /// <summary>The <c>chkpt-*</c> prefixes in the backup folder other than <paramref name="keep"/> (temporary files aside).</summary>
    IEnumerable<string> EarlierPrefixes(string keep)
    {
        const string index = ".index";
        return Directory.EnumerateFiles(BackupDir, "chkpt-*" + index + "*")
            .Where(f => !Formats.TempFiles.IsTemporaryName(f))
            .Select(f => Path.GetFileName(f)[..Path.GetFileName(f).LastIndexOf(index, StringComparison.Ordinal)])
            .Where(p => p != keep)
            .Distinct()
            .ToList();
    }

    /// <inheritdoc/>
    public override void OnTrainEnd(Logs logs)
    {
        if (!DeleteCheckpoint) return;
        if (File.Exists(StatePath)) File.Delete(StatePath);   // the commit point goes first
        if (!Directory.Exists(BackupDir)) return;
        // Everything this callback writes, including what a process killed mid-save left behind
        // (an older prefix not yet deleted, temporary files); other files in the folder are kept.
        foreach (var file in Directory.EnumerateFiles(BackupDir, "chkpt-*")
                     .Concat(Directory.EnumerateFiles(BackupDir, StateFileName + "*")))
            File.Delete(file);
        if (!Directory.EnumerateFileSystemEntries(BackupDir).Any())
            Directory.Delete(BackupDir);
    }
}
