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
/// </summary>
/// <param name="backupDir">Folder for the backup; use one per training run.</param>
/// <param name="deleteCheckpoint">Remove the backup when <c>Fit</c> completes.</param>
public sealed class BackupAndRestore(string backupDir, bool deleteCheckpoint = true) : Callback
{
    /// <summary>The state file, written last: the backup's commit point.</summary>
    public const string StateFileName = "training_state.msgpack";

    public string BackupDir { get; } = string.IsNullOrEmpty(backupDir)
        ? throw new ArgumentException("BackupAndRestore needs a backup directory.", nameof(backupDir))
        : backupDir;

    public bool DeleteCheckpoint { get; } = deleteCheckpoint;

    string StatePath => Path.Combine(BackupDir, StateFileName);

    public override void OnTrainBegin(Logs logs)
    {
        var model = Model!;
        if (!File.Exists(StatePath)) return;
        var state = TrainingState.Read(StatePath);
        model.LoadWeights(Path.Combine(BackupDir, state.Checkpoint));
        RandomState.Restore(state.RandomState);
        if (model.FitHistory is { } history)
            for (int i = 0; i < state.HistoryEpochs.Count; i++)
                history.OnEpochEnd(state.HistoryEpochs[i], new Logs(state.HistoryValues.Select(kv => new KeyValuePair<string, double>(kv.Key, kv.Value[i]))));
        model.ResumeAtEpoch = state.CompletedEpochs;
    }

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
