using System.Globalization;
using Layerwise.Formats;
using Layerwise.Formats.Checkpoint;
using Layerwise.Training;

namespace Layerwise.Callbacks;

/// <summary>
/// Saves the model's weights during training, as Keras' <c>ModelCheckpoint</c>: at the end of
/// every epoch or every <c>saveFreq</c> batches, to the file path template filled with the
/// epoch and the logs (<c>"training_2/cp-{epoch:04d}.ckpt"</c>, <c>"{val_loss:.2f}"</c>), optionally
/// only when a monitored log value improves. Weights go to TensorFlow checkpoints
/// (<see cref="Models.Model.SaveWeights(string)"/>), and the directory's <c>checkpoint</c> file names the latest;
/// with <c>saveWeightsOnly: false</c> (Keras' default) the whole model is saved with
/// <see cref="Models.Model.Save(string)"/>, its format chosen by the path's extension.
/// </summary>
public sealed class ModelCheckpoint : Callback
{
    readonly List<string> kept = [];
    readonly Func<double, double, bool> improved;
    int currentEpoch;
    int batchesSinceSave;
    int lastBatchSeen = -1;
    bool keptFound;

    /// <param name="filepath">Checkpoint prefix template (no extension), e.g. <c>training_1/cp.ckpt</c>.</param>
    /// <param name="monitor">Log key compared for <paramref name="saveBestOnly"/> (default <c>val_loss</c>).</param>
    /// <param name="verbose">1 prints <c>Epoch 1: saving model to ...</c> and the improvement lines.</param>
    /// <param name="saveBestOnly">Save only when <paramref name="monitor"/> improves on the best value so far.</param>
    /// <param name="saveWeightsOnly">Save weights only (a TensorFlow checkpoint, or HDF5 weights for <c>.h5</c>);
    /// otherwise the whole model with <see cref="Models.Model.Save(string)"/> (<c>.h5</c>, <c>.keras</c> or a directory).</param>
    /// <param name="mode"><c>auto</c>, <c>min</c> or <c>max</c>: which direction improves; auto picks max for accuracies.</param>
    /// <param name="saveFreq"><c>"epoch"</c> (default) or a number of batches.</param>
    /// <param name="initialValueThreshold">The best value to beat at first, instead of ±infinity.</param>
    /// <param name="maxToKeep">Keep only this many most recent checkpoints, deleting older files
    /// (TensorFlow's CheckpointManager; Keras has no such option). Null keeps everything. A restarted run
    /// counts what an earlier run left: the checkpoints in the folder whose names the template can produce.</param>
    public ModelCheckpoint(string filepath, string monitor = "val_loss", int verbose = 0, bool saveBestOnly = false,
                           bool saveWeightsOnly = false, string mode = "auto", SaveFrequency? saveFreq = null,
                           double? initialValueThreshold = null, int? maxToKeep = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(filepath);
        ArgumentException.ThrowIfNullOrEmpty(monitor);
        if (maxToKeep is <= 0) throw new ArgumentOutOfRangeException(nameof(maxToKeep), maxToKeep, "maxToKeep must be positive (or null to keep all).");
        Filepath = filepath;
        Monitor = monitor;
        Verbose = verbose;
        SaveBestOnly = saveBestOnly;
        SaveWeightsOnly = saveWeightsOnly;
        SaveFreq = saveFreq ?? SaveFrequency.Epoch;
        MaxToKeep = maxToKeep;
        Mode = mode switch
        {
            "min" or "max" => mode,
            "auto" => monitor.Contains("acc", StringComparison.Ordinal) || monitor.StartsWith("fmeasure", StringComparison.Ordinal) ? "max" : "min",
            _ => throw new ArgumentException($"ModelCheckpoint mode \"{mode}\" is unknown; expected \"auto\", \"min\" or \"max\".", nameof(mode)),
        };
        improved = Mode == "max" ? (current, best) => current > best : (current, best) => current < best;
        Best = initialValueThreshold ?? (Mode == "max" ? double.NegativeInfinity : double.PositiveInfinity);
    }

    /// <summary>
    /// The path template, filled with <c>{epoch}</c> and log values at each save (Keras' <c>filepath</c>).
    /// </summary>
    public string Filepath { get; }
    /// <summary>The log key compared when <see cref="SaveBestOnly"/> is set (Keras' <c>monitor</c>).</summary>
    public string Monitor { get; }
    /// <summary>1 prints a line at each save and improvement (Keras' <c>verbose</c>); 0 is silent.</summary>
    public int Verbose { get; }
    /// <summary>
    /// Whether a save happens only when <see cref="Monitor"/> improves (Keras' <c>save_best_only</c>).
    /// </summary>
    public bool SaveBestOnly { get; }
    /// <summary>
    /// Whether only the weights are saved, rather than the whole model (Keras' <c>save_weights_only</c>).
    /// </summary>
    public bool SaveWeightsOnly { get; }
    /// <summary>Every epoch or every N batches (Keras' <c>save_freq</c>).</summary>
    public SaveFrequency SaveFreq { get; }
    /// <summary>
    /// How many recent checkpoints are kept, older files deleted (TensorFlow's <c>CheckpointManager.max_to_keep</c>);
    /// null keeps all.
    /// </summary>
    public int? MaxToKeep { get; }

    /// <summary><c>min</c> or <c>max</c> once <c>auto</c> is resolved.</summary>
    public string Mode { get; }

    /// <summary>The best value of <see cref="Monitor"/> seen so far (or the initial threshold).</summary>
    public double Best { get; private set; }

    /// <summary>Prefixes of the checkpoints this callback has written and not deleted, oldest first.</summary>
    public IReadOnlyList<string> Saved => kept;

    /// <inheritdoc/>
    public override void OnEpochBegin(int epoch, Logs logs) => currentEpoch = epoch;

    /// <inheritdoc/>
    public override void OnTrainBatchEnd(int batch, Logs logs)
    {
        if (SaveFreq.Batches is not { } every) return;
        // Keras' count: a batch index that does not grow means a new epoch began.
        batchesSinceSave += batch <= lastBatchSeen ? batch + 1 : batch - lastBatchSeen;
        lastBatchSeen = batch;
        if (batchesSinceSave < every) return;
        batchesSinceSave = 0;
        Save(currentEpoch, batch, logs);
    }

    /// <inheritdoc/>
    public override void OnEpochEnd(int epoch, Logs logs)
    {
        if (SaveFreq.IsEpoch) Save(epoch, null, logs);
    }

    void Save(int epoch, int? batch, Logs logs)
    {
        var path = FilepathTemplate.Format(Filepath, epoch + 1, batch + 1, logs);
        if (SaveBestOnly)
        {
            if (!logs.TryGetValue(Monitor, out var current))
            {
                Output.Writer.WriteLine($"WARNING: Can save best model only with {Monitor} available, skipping.");
                return;
            }
            if (!improved(current, Best))
            {
                if (Verbose > 0) Output.Writer.WriteLine($"\nEpoch {epoch + 1}: {Monitor} did not improve from {Number(Best)}");
                return;
            }
            if (Verbose > 0) Output.Writer.WriteLine($"\nEpoch {epoch + 1}: {Monitor} improved from {Number(Best)} to {Number(current)}, saving model to {path}");
            Best = current;
        }
        else if (Verbose > 0)
        {
            Output.Writer.WriteLine($"\nEpoch {epoch + 1}: saving model to {path}");
        }
        Write(path);
    }

    void Write(string path)
    {
        var model = Model ?? throw new InvalidOperationException("ModelCheckpoint is not attached to a model.");
        bool bundle = SaveWeightsOnly && !Models.Model.IsHdf5Path(path);
        if (MaxToKeep is not null && !keptFound) FindEarlierCheckpoints(path, bundle);
        keptFound = true;
        if (!SaveWeightsOnly) model.Save(path);
        else if (!bundle) model.SaveWeights(path);
        else model.SaveWeightsWithoutState(path);
        kept.RemoveAll(k => Path.GetFullPath(k) == Path.GetFullPath(path));
        kept.Add(path);
        if (MaxToKeep is { } max)
        {
            while (kept.Count > max)
            {
                DeleteSaved(kept[0], bundle);
                kept.RemoveAt(0);
            }
        }
        if (bundle) Checkpoint.UpdateState(path, MaxToKeep is null ? [path] : kept);
    }

    /// <summary>
    /// Before the first save, adds to <see cref="Saved"/> the checkpoints an earlier run left in the folder
    /// (as tf.train.CheckpointManager reads them back from the <c>checkpoint</c> file, so that a restarted run
    /// with maxToKeep 3 still ends with 3): every entry whose name <see cref="Filepath"/>'s file name can
    /// produce, oldest first. Files of other templates (another writer in the folder) are not counted.
    /// </summary>
    void FindEarlierCheckpoints(string path, bool bundle)
    {
        var folder = Path.GetDirectoryName(path) ?? "";
        var directory = folder.Length == 0 ? "." : folder;
        if (!Directory.Exists(directory)) return;
        var names = FilepathTemplate.Pattern(Path.GetFileName(Filepath));
        const string index = ".index";
        var found = bundle
            ? Directory.EnumerateFiles(directory, "*" + index)
                       .Select(f => (Name: Path.GetFileName(f)[..^index.Length], Written: File.GetLastWriteTimeUtc(f)))
            : Directory.EnumerateFileSystemEntries(directory)
                       .Where(e => !TempFiles.IsTemporaryName(e))
                       .Select(e => (Name: Path.GetFileName(e), Written: Directory.Exists(e) ? Directory.GetLastWriteTimeUtc(e) : File.GetLastWriteTimeUtc(e)));
        foreach (var (name, _) in found.Where(f => names.IsMatch(f.Name)).OrderBy(f => f.Written).ToList())
            kept.Add(Path.Combine(folder, name));
    }

    static void DeleteSaved(string path, bool bundle)
    {
        if (bundle) BundleFiles.Delete(path);
        else if (Directory.Exists(path)) Directory.Delete(path, recursive: true);
        else File.Delete(path);
    }

    /// <summary>Python's <c>f"{x:.5f}"</c>, as Keras prints monitored values (<c>inf</c> included).</summary>
    static string Number(double value) =>
        double.IsPositiveInfinity(value) ? "inf" : double.IsNegativeInfinity(value) ? "-inf" : double.IsNaN(value) ? "nan"
        : value.ToString("F5", CultureInfo.InvariantCulture);
}
