using Layerwise.Formats;
using Layerwise.Formats.Checkpoint;
using Layerwise.Formats.SavedModel;

namespace Layerwise.Models;

public abstract partial class Model
{
    (string Prefix, bool VerifyFirst)? deferredRestore;

    /// <summary>The History of the <see cref="O:Layerwise.Models.Model.Fit"/> in progress (for callbacks that restore one).</summary>
    internal Callbacks.History? FitHistory { get; private set; }

    /// <summary>Set during <c>OnTrainBegin</c> by a callback that restored a backup: the epoch (0-based) to continue from.</summary>
    internal int? ResumeAtEpoch { get; set; }

    /// <summary>
    /// Saves the weights (and, once the model has trained, the optimizer's state) as a TensorFlow
    /// checkpoint: <c>prefix.index</c> and <c>prefix.data-00000-of-00001</c>, readable by
    /// TensorFlow's <c>model.load_weights(prefix)</c>, then records it in the directory's
    /// <c>checkpoint</c> file. The save is atomic: until it completes, the previous files at the
    /// prefix stay loadable. Keras' <c>model.save_weights(prefix)</c>.
    /// </summary>
    public void SaveWeights(string filepath)
    {
        ThrowIfDisposed();
        ArgumentException.ThrowIfNullOrEmpty(filepath);
        if (IsHdf5Path(filepath))
        {
            SaveWeightsHdf5(filepath);   // *.weights.h5: Keras 3 layout; other .h5/.hdf5: Keras 2 save_weights
            return;
        }
        SaveWeightsWithoutState(filepath);
        Checkpoint.UpdateState(filepath);
    }

    /// <summary>Writes the bundle only (callers that keep several checkpoints write the state file themselves).</summary>
    internal void SaveWeightsWithoutState(string filepath)
    {
        RejectOtherWeightFormats(filepath);
        if (!Built)
        {
            var shape = DeclaredInputShapeOrFirstLayer()
                ?? throw new InvalidOperationException(
                    $"Model \"{Name}\" has no weights yet, so there is nothing to save: build it first (give the first layer an inputShape, or call Fit or Predict once).");
            EnsureBuilt(shape);
        }
        KerasCheckpointWriter.Write(this, filepath);
    }

    /// <summary>
    /// Loads weights saved by <see cref="SaveWeights(string)"/> or by TensorFlow (<c>model.save_weights</c>,
    /// <c>ModelCheckpoint</c>): pass the prefix, e.g. <c>Checkpoint.Latest("training_1")</c>; or HDF5 weights
    /// (<c>.weights.h5</c>, <c>.h5</c>: Keras 3, Keras 2 <c>save_weights</c>, a whole-model .h5, Keras 1). When the
    /// model is compiled and the file holds optimizer state, that is restored too, so training
    /// resumes where it stopped. A TensorFlow SavedModel directory stands for its
    /// <c>variables/variables</c> bundle. Keras' <c>model.load_weights(filepath)</c>.
    /// <para>
    /// Every name, shape, type and place in the file of every weight is checked before the model changes: a
    /// different architecture or a malformed file throws (<see cref="CheckpointException"/>,
    /// <see cref="ModelFileException"/>) and leaves the model as it was. The values are then read straight into
    /// the weights' memory (no second copy of the weights), each checked against its CRC-32C (checkpoints) or
    /// content hash (HDF5 files Layerwise wrote) as it is read. Should that read fail (an I/O error, damaged
    /// values), <see cref="WeightsPartlyLoadedException"/> says which weight failed: the model then holds
    /// partly the file's weights, as Keras and TensorFlow leave it. <see cref="LoadWeights(string, bool)"/>
    /// with <c>verifyFirst: true</c> checks every value first.
    /// </para>
    /// An unbuilt model whose input shape is known is built first; one whose shape is not known yet is
    /// restored when it is built (the files are checked now, and read again then), as Keras defers it.
    /// </summary>
    /// <exception cref="WeightsPartlyLoadedException">Reading values failed after the first weight was written.</exception>
    public void LoadWeights(string filepath) => LoadWeights(filepath, verifyFirst: false);

    /// <summary>
    /// <see cref="LoadWeights(string)"/>, all or nothing when <paramref name="verifyFirst"/>: every value is read
    /// through a small buffer and checked against its CRC-32C or content hash before any weight is written (the
    /// file is read twice; no copy of the weights is made), so a damaged file throws
    /// <see cref="CheckpointException"/> or <see cref="ModelFileException"/> and leaves the model as it was. Only a
    /// failure between the two reads (the disk failing, the file rewritten in place meanwhile) still throws
    /// <see cref="WeightsPartlyLoadedException"/>. Use it where a half-loaded model must never be seen, e.g. when
    /// loading into a model that is serving.
    /// </summary>
    /// <param name="filepath">A checkpoint prefix, a SavedModel directory, or an HDF5 weights file.</param>
    /// <param name="verifyFirst">Check every value before writing any weight (one more read of the file).</param>
    public void LoadWeights(string filepath, bool verifyFirst)
    {
        ThrowIfDisposed();
        ArgumentException.ThrowIfNullOrEmpty(filepath);
        if (IsHdf5Path(filepath))
        {
            LoadWeightsHdf5(filepath, verifyFirst);   // Keras 3 .weights.h5, Keras 2 save_weights, a whole-model .h5, Keras 1
            return;
        }
        RejectOtherWeightFormats(filepath);
        // A SavedModel directory: its variables bundle, as tf.keras' load_weights reads it.
        if (Directory.Exists(filepath) && SavedModelDirectory.IsSavedModel(filepath)) filepath = SavedModelDirectory.VariablesPrefix(filepath);
        if (!Built)
        {
            if (DeclaredInputShapeOrFirstLayer() is { } shape)
            {
                EnsureBuilt(shape);
            }
            else
            {
                ReaderBoundary.RunCheckpoint(filepath, () =>
                {
                    using (var reader = BundleReader.Open(filepath))
                        reader.VerifyAll(reader.Entries.Keys);
                    return 0;
                });
                deferredRestore = (filepath, verifyFirst);
                return;
            }
        }
        ReaderBoundary.RunCheckpoint(filepath, () => { KerasCheckpointReader.Restore(this, filepath, verifyFirst); return 0; });
    }

    private protected override void OnBuilt()
    {
        base.OnBuilt();
        if (deferredRestore is { } restore)
        {
            deferredRestore = null;
            KerasCheckpointReader.Restore(this, restore.Prefix, restore.VerifyFirst);
        }
    }

    static void RejectOtherWeightFormats(string filepath)
    {
        ArgumentException.ThrowIfNullOrEmpty(filepath);
        if (filepath.EndsWith(".keras", StringComparison.OrdinalIgnoreCase))
            throw new NotSupportedException(
                $"\"{filepath}\" is a whole-model .keras archive, not a weights file: use model.Save(path) / Model.Load(path), " +
                "SaveWeights(\"x.weights.h5\") for HDF5 weights, or a prefix without extension for a TensorFlow checkpoint.");
    }
}
