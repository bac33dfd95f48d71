using Layerwise.Formats;
using Layerwise.Formats.Hdf5;
using Layerwise.Formats.KerasArchive;
using Layerwise.Formats.ModelDirectory;
using Layerwise.Formats.SavedModel;
using Layerwise.Layers;

namespace Layerwise.Models;

public abstract partial class Model
{
    /// <summary>
    /// Saves the whole model: architecture (config), weights, what was passed to
    /// <see cref="O:Layerwise.Models.Model.Compile"/> and the optimizer's state, so that <see cref="Load(string, bool)"/> gives back a model
    /// that predicts the same and resumes training exactly. The format follows the path, as Keras':
    /// <c>.h5</c>/<c>.hdf5</c> -> Keras 2 HDF5 (tf.keras' <c>load_model</c> reads it);
    /// <c>.keras</c> -> Keras 3 zip archive (config.json, metadata.json, model.weights.h5);
    /// anything else -> a directory holding those three entries (Keras 3's <c>zipped=False</c>).
    /// The save is atomic: it is written beside the target and renamed over it, so a failure leaves
    /// the previous file as it was.
    /// </summary>
    public void Save(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        EnsureBuiltForSaving();
        switch (FormatOf(path))
        {
            case PathFormat.Hdf5: KerasH5ModelFile.Save(this, path); break;
            case PathFormat.KerasArchive: KerasArchiveFile.Save(this, path); break;
            default: ModelDirectoryFile.Save(this, path); break;
        }
    }

    /// <summary>
    /// Keras' <c>keras.models.load_model</c>: loads a model saved by <see cref="Save(string)"/> or by Keras (tf.keras 2.x and Keras 1.x/2.x .h5,
    /// Keras 3 .keras archives, legacy .h5 and directories, and the TensorFlow SavedModel directories
    /// that tf.keras 2.5-2.15's <c>model.save(dir)</c> writes): the architecture is created from the
    /// config through the registry of <c>[Layer]</c>/<c>[ModelConfig]</c> types (nothing in a file
    /// names a .NET type), then the weights; with <paramref name="compile"/>, the model is compiled
    /// with the saved optimizer, loss and metrics, and the optimizer's state is restored.
    /// </summary>
    /// <exception cref="ModelFileException">The file is corrupt, truncated, unsafe, or describes something unsupported.</exception>
    /// <exception cref="LambdaLayerException">The model holds a Keras Lambda layer (Python code).</exception>
    public static Model Load(string path, bool compile = true)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (Directory.Exists(path))
            return ReaderBoundary.Run(path, () => SavedModelDirectory.IsSavedModel(path) ? SavedModelDirectory.Load(path, compile) : ModelDirectoryFile.Load(path, compile));
        return ReaderBoundary.Run(path, () => FormatOf(path) switch
        {
            PathFormat.Hdf5 => KerasH5ModelFile.Load(path, compile),
            PathFormat.KerasArchive => KerasArchiveFile.Load(path, compile),
            _ => File.Exists(path) ? LoadBySignature(path, compile) : throw new FileNotFoundException($"No model file or directory at \"{path}\".", path),
        });
    }

    /// <summary>
    /// Creates the model a Keras model config describes (Keras' <c>model_from_json</c>): the JSON of
    /// <c>model.to_json()</c>, a .h5's <c>model_config</c> or a .keras archive's config.json. The model
    /// is built (weights initialized) when the config gives its input shape; load weights next.
    /// </summary>
    /// <exception cref="ModelFileException">The config is not JSON, holds a Lambda layer, or names an unregistered class.</exception>
    public static Model FromJson(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        return ReaderBoundary.Run("(JSON text)", () =>
        {
            var config = KerasModelConfig.Parse(json, "(JSON text)", "");
            using var budget = ParameterBudget.ForConfig("(JSON text)", "");
            var model = KerasModelConfig.CreateModel(config, "(JSON text)", "");
            ModelBuilding.BuildIfShapeKnown(model, config, "(JSON text)", "");
            return model;
        });
    }

    /// <summary>A file without a known extension: a zip is a .keras archive, anything else is tried as HDF5.</summary>
    static Model LoadBySignature(string path, bool compile)
    {
        if (RegularFile.Problem(path) is { } problem) throw new ModelFileException(path, "", problem + ".");
        return StreamFiles.SignatureOf(path) == StreamFiles.Signature.Zip ? KerasArchiveFile.Load(path, compile) : KerasH5ModelFile.Load(path, compile);
    }

    /// <summary>
    /// Writes the weights as HDF5: <c>*.weights.h5</c> in Keras 3's layout (<c>layers/&lt;name&gt;/vars/&lt;i&gt;</c>),
    /// any other <c>.h5</c>/<c>.hdf5</c> in Keras 2's <c>save_weights</c> layout (<c>layer_names</c>, <c>weight_names</c>).
    /// <c>SaveWeights</c> dispatches here for those extensions.
    /// </summary>
    internal void SaveWeightsHdf5(string path)
    {
        EnsureBuiltForSaving();
        if (path.EndsWith(".weights.h5", StringComparison.OrdinalIgnoreCase)) KerasWeightsStore.SaveWeights(this, path);
        else KerasH5ModelFile.SaveWeights(this, path);
    }

    /// <summary>
    /// Loads HDF5 weights of any Keras layout (Keras 3 <c>.weights.h5</c>, Keras 2 <c>save_weights</c>, the
    /// <c>model_weights</c> of a whole-model .h5, Keras 1 files) into this model, built first when its
    /// input shape is known. Every name, shape, type and extent is checked before any weight is written
    /// (<see cref="LoadWeights(string, bool)"/> says what follows).
    /// </summary>
    internal void LoadWeightsHdf5(string path, bool verifyFirst = false)
    {
        if (!Built && DeclaredInputShapeOrFirstLayer() is null)
            throw new InvalidOperationException(
                $"Model \"{Name}\" has not created its weights yet, so HDF5 weights cannot be loaded into it (as in Keras): " +
                "call it once (Predict or Fit), or call EnsureBuilt(inputShape), then load the weights.");
        EnsureBuiltForSaving();
        ReaderBoundary.Run(path, () =>
        {
            using var input = Hdf5Input.Open(path, path);
            if (KerasWeightsStore.IsKeras3WeightsFile(input)) KerasWeightsStore.LoadWeights(this, input, verifyFirst);
            else KerasH5ModelFile.LoadWeights(this, input, verifyFirst);
        });
    }

    /// <summary>Whether a path names an HDF5 weights file (for <c>SaveWeights</c>/<c>LoadWeights</c> to dispatch on).</summary>
    internal static bool IsHdf5Path(string path) =>
        path.EndsWith(".h5", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".hdf5", StringComparison.OrdinalIgnoreCase);

    void EnsureBuiltForSaving()
    {
        ThrowIfDisposed();
        if (Built) return;
        var shape = DeclaredInputShapeOrFirstLayer()
            ?? throw new InvalidOperationException(
                $"Model \"{Name}\" has no weights yet: build it first (give the first layer an inputShape, or call Fit or Predict once).");
        EnsureBuilt(shape);
    }

    enum PathFormat { Hdf5, KerasArchive, Directory }

    static PathFormat FormatOf(string path) =>
        IsHdf5Path(path) ? PathFormat.Hdf5
        : path.EndsWith(".keras", StringComparison.OrdinalIgnoreCase) ? PathFormat.KerasArchive
        : PathFormat.Directory;
}
