using Layerwise.Formats;
using Layerwise.Formats.Checkpoint;
using Layerwise.Formats.SavedModel;

namespace Layerwise.Models;

public abstract partial class Model
{
    string? deferredRestore;

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
    /// <c>ModelCheckpoint</c>): pass the prefix, e.g. <c>Checkpoint.Latest("training_1")</c>. When the
    /// model is compiled and the checkpoint holds optimizer state, that is restored too, so training
    /// resumes where it stopped. A TensorFlow SavedModel directory stands for its
    /// <c>variables/variables</c> bundle. The files are validated before anything changes: a corrupt file or a
    /// different architecture throws a <see cref="CheckpointException"/> and leaves the model as it was.
    /// An unbuilt model whose input shape is known is built first; one whose shape is not known yet is
    /// restored when it is built (the files are checked now, and read again then), as Keras defers it.
    /// </summary>
    public void LoadWeights(string filepath)
    {
        ThrowIfDisposed();
        ArgumentException.ThrowIfNullOrEmpty(filepath);
        if (IsHdf5Path(filepath))
        {
            LoadWeightsHdf5(filepath);   // Keras 3 .weights.h5, Keras 2 save_weights, a whole-model .h5, Keras 1
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
                deferredRestore = filepath;
                return;
            }
        }
        ReaderBoundary.RunCheckpoint(filepath, () => { KerasCheckpointReader.Restore(this, filepath); return 0; });
    }

    private protected override void OnBuilt()
    {
        base.OnBuilt();
        if (deferredRestore is { } prefix)
        {
            deferredRestore = null;
            KerasCheckpointReader.Restore(this, prefix);
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
