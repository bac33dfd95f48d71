using Layerwise.Formats.Checkpoint;
using Layerwise.Formats.Hdf5;
using Layerwise.Formats.SavedModel;
using PureHDF;

namespace Layerwise.Cli;

/// <summary>The file formats the tool tells apart.</summary>
internal enum ModelFileKind
{
    /// <summary>Keras 2 / tf.keras whole-model HDF5 (<c>model.save("m.h5")</c>).</summary>
    KerasH5Model,
    /// <summary>Keras 2 <c>save_weights("w.h5")</c> HDF5 (<c>layer_names</c> at the root).</summary>
    KerasH5Weights,
    /// <summary>Keras 3 <c>.weights.h5</c> (<c>layers/&lt;name&gt;/vars/&lt;i&gt;</c>).</summary>
    Keras3Weights,
    /// <summary>Keras 3 <c>.keras</c> zip archive.</summary>
    KerasArchive,
    /// <summary>Keras 3 unzipped model directory (config.json, metadata.json, model.weights.h5).</summary>
    ModelDirectory,
    /// <summary>TensorFlow SavedModel directory (tf.keras 2.x <c>model.save(dir)</c>).</summary>
    SavedModel,
    /// <summary>TensorFlow tensor-bundle checkpoint prefix (<c>save_weights(prefix)</c>, ModelCheckpoint).</summary>
    Checkpoint,
    /// <summary>TensorFlow.js layers model directory (model.json + weight shards).</summary>
    Tfjs,
}

/// <summary>A path the tool was given, resolved to the file (or prefix) and its format.</summary>
internal sealed record ModelFile(string Path, ModelFileKind Kind)
{
    public bool IsWholeModel => Kind is ModelFileKind.KerasH5Model or ModelFileKind.KerasArchive or ModelFileKind.ModelDirectory or ModelFileKind.SavedModel;

    public string Description => Kind switch
    {
        ModelFileKind.KerasH5Model => "Keras HDF5 model (.h5)",
        ModelFileKind.KerasH5Weights => "Keras 2 HDF5 weights (save_weights .h5)",
        ModelFileKind.Keras3Weights => "Keras 3 weights (.weights.h5)",
        ModelFileKind.KerasArchive => "Keras 3 archive (.keras)",
        ModelFileKind.ModelDirectory => "Keras 3 model directory (unzipped .keras)",
        ModelFileKind.SavedModel => "TensorFlow SavedModel directory",
        ModelFileKind.Checkpoint => "TensorFlow checkpoint (tensor bundle)",
        _ => "TensorFlow.js layers model (model.json)",
    };

    static readonly byte[] Hdf5Signature = [0x89, (byte)'H', (byte)'D', (byte)'F', (byte)'\r', (byte)'\n', 0x1a, (byte)'\n'];

    /// <summary>
    /// What <paramref name="path"/> is: a directory by its entries, a file by its first bytes (its extension only
    /// decides whether bad content is "corrupt" or "unknown"), anything else as a checkpoint prefix.
    /// </summary>
    /// <exception cref="CliException">Nothing is there (<see cref="ExitCodes.Missing"/>) or it is in no known format.</exception>
    public static ModelFile Resolve(string path)
    {
        if (Directory.Exists(path))
        {
            if (SavedModelDirectory.IsSavedModel(path)) return new(path, ModelFileKind.SavedModel);
            if (File.Exists(System.IO.Path.Combine(path, "config.json"))) return new(path, ModelFileKind.ModelDirectory);
            if (File.Exists(System.IO.Path.Combine(path, "model.json"))) return new(path, ModelFileKind.Tfjs);
            if (File.Exists(System.IO.Path.Combine(path, "checkpoint")))
            {
                var latest = Layerwise.Checkpoint.Latest(path)
                    ?? throw new CliException(ExitCodes.Missing, $"{path}: the checkpoint state file names no checkpoint whose files exist.");
                return new(latest, ModelFileKind.Checkpoint);
            }
            throw new CliException(ExitCodes.UnknownFormat,
                $"{path}: a directory in no known format (expected saved_model.pb, config.json + model.weights.h5, model.json, or a checkpoint state file).");
        }
        if (!File.Exists(path))
        {
            if (BundleFiles.Exists(path)) return new(path, ModelFileKind.Checkpoint);
            throw new CliException(ExitCodes.Missing, $"{path}: no such file, directory or checkpoint prefix.");
        }
        if (path.EndsWith(".index", StringComparison.Ordinal) && BundleFiles.Exists(path[..^6])) return new(path[..^6], ModelFileKind.Checkpoint);

        Span<byte> head = stackalloc byte[8];
        int read;
        using (var stream = File.OpenRead(path)) read = stream.ReadAtLeast(head, 8, throwOnEndOfStream: false);
        bool knownExtension = path.EndsWith(".h5", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".hdf5", StringComparison.OrdinalIgnoreCase)
                              || path.EndsWith(".keras", StringComparison.OrdinalIgnoreCase);
        if (read >= 4 && head[..4].SequenceEqual("PK\u0003\u0004"u8)) return new(path, ModelFileKind.KerasArchive);
        if (read == 8 && head.SequenceEqual(Hdf5Signature)) return new(path, Hdf5Kind(path));
        if (knownExtension)
            throw new CliException(ExitCodes.Corrupt, $"{path}: the extension says HDF5 or .keras, but the file starts with neither signature (\\x89HDF or PK): it is truncated or corrupt.");
        throw new CliException(ExitCodes.UnknownFormat,
            $"{path}: unknown format (not HDF5, not a .keras zip, not a checkpoint prefix, SavedModel or model directory).");
    }

    static ModelFileKind Hdf5Kind(string path)
    {
        using var input = Hdf5Input.Open(path, path);
        var root = input.Root;
        if (input.HasAttribute(root, "model_config")) return ModelFileKind.KerasH5Model;
        if (input.HasAttribute(root, "layer_names") || input.HasAttribute(root, "layer_names0")) return ModelFileKind.KerasH5Weights;
        if (input.HasLink(root, "model_weights")) return ModelFileKind.KerasH5Model;
        if (input.HasLink(root, "layers") || input.HasLink(root, "vars")) return ModelFileKind.Keras3Weights;
        throw new CliException(ExitCodes.UnknownFormat,
            $"{path}: an HDF5 file, but not in a Keras layout (no model_config, layer_names, model_weights or layers/vars).");
    }
}
