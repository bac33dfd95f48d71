using Layerwise.Formats;
using Layerwise.Formats.Hdf5;
using Layerwise.Formats.KerasArchive;

namespace Layerwise.Models;

public abstract partial class Model
{
    /// <summary>
    /// Writes the whole model to <paramref name="stream"/> in a single-file format: the file that
    /// <see cref="Save(string)"/> writes to a <c>.h5</c> or <c>.keras</c> path. The bytes go from the
    /// stream's current position; the stream is flushed, not closed. Any writable stream works, seekable
    /// or not: the file is written to a private temporary folder first, then copied.
    /// </summary>
    /// <param name="stream">Where the file's bytes go.</param>
    /// <param name="format"><see cref="ModelFileFormat.H5"/> or <see cref="ModelFileFormat.Keras"/>.</param>
    public void Save(Stream stream, ModelFileFormat format)
    {
        var extension = format switch
        {
            ModelFileFormat.H5 => ".h5",
            ModelFileFormat.Keras => ".keras",
            _ => throw new ArgumentOutOfRangeException(nameof(format), format, "Expected ModelFileFormat.H5 or ModelFileFormat.Keras."),
        };
        StreamFiles.SaveTo(stream, extension, Save);
    }

    /// <summary>
    /// Loads a model from <paramref name="stream"/> (from its current position to its end), as
    /// <see cref="Load(string, bool)"/> loads a file: the format is told by its first bytes, HDF5's
    /// signature for a <c>.h5</c> model, a zip's for a <c>.keras</c> archive. Any readable stream works,
    /// seekable or not: it is copied to a private temporary file first, which errors name
    /// (<c>stream.h5</c> or <c>stream.keras</c>).
    /// </summary>
    /// <param name="stream">The file's bytes.</param>
    /// <param name="compile">Compile the model with its saved training config, as in <see cref="Load(string, bool)"/>.</param>
    /// <exception cref="ModelFileException">The bytes are neither an HDF5 nor a zip file, or the file is corrupt.</exception>
    public static Model Load(Stream stream, bool compile = true) =>
        StreamFiles.LoadFrom(stream, (path, signature) => signature switch
        {
            StreamFiles.Signature.Hdf5 => KerasH5ModelFile.Load(path, compile),
            StreamFiles.Signature.Zip => KerasArchiveFile.Load(path, compile),
            _ => throw new ModelFileException("(stream)", "", "expected a model file: an HDF5 file (.h5) or a zip archive (.keras); the stream starts with neither signature."),
        });

    /// <summary>
    /// Writes the weights to <paramref name="stream"/> as HDF5: the file that
    /// <see cref="SaveWeights(string)"/> writes to a <c>.weights.h5</c> or <c>.h5</c> path (TensorFlow
    /// checkpoints are several files and have no stream form). Any writable stream works.
    /// </summary>
    /// <param name="stream">Where the file's bytes go (from its current position; flushed, not closed).</param>
    /// <param name="format"><see cref="WeightsFileFormat.WeightsH5"/> (Keras 3) or <see cref="WeightsFileFormat.H5"/> (Keras 2).</param>
    public void SaveWeights(Stream stream, WeightsFileFormat format)
    {
        var extension = format switch
        {
            WeightsFileFormat.WeightsH5 => ".weights.h5",
            WeightsFileFormat.H5 => ".h5",
            _ => throw new ArgumentOutOfRangeException(nameof(format), format, "Expected WeightsFileFormat.WeightsH5 or WeightsFileFormat.H5."),
        };
        StreamFiles.SaveTo(stream, extension, SaveWeightsHdf5);
    }

    /// <summary>
    /// Loads HDF5 weights from <paramref name="stream"/> (any Keras layout, as
    /// <see cref="LoadWeights(string)"/> loads a <c>.h5</c> path, with the same checks before any weight changes).
    /// </summary>
    /// <param name="stream">The file's bytes, from the current position to the end.</param>
    /// <exception cref="ModelFileException">The bytes are not HDF5, or the weights do not fit this model.</exception>
    public void LoadWeights(Stream stream) =>
        StreamFiles.LoadFrom(stream, (path, signature) =>
        {
            if (signature != StreamFiles.Signature.Hdf5)
                throw new ModelFileException("(stream)", "", signature == StreamFiles.Signature.Zip
                    ? "expected HDF5 weights; the stream holds a zip archive (a .keras model: load it with Model.Load(stream))."
                    : "expected HDF5 weights (.weights.h5 or .h5); the stream does not start with HDF5's signature.");
            LoadWeightsHdf5(path);
            return true;
        });
}
