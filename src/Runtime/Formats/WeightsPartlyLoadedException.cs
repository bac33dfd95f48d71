namespace Layerwise.Formats;

/// <summary>
/// Loading weights into an existing model failed after it had begun writing them: every name, shape, type and
/// extent of the file was checked first, but reading a weight's values then failed (an I/O error, a file
/// truncated or changed while it was read, values whose content hash or CRC-32C does not match). The weights
/// read before it hold the file's values, the failed one holds part of them, the others are as they were,
/// as Keras' <c>load_weights</c> and TensorFlow's checkpoint restore leave a model in the same case.
/// Load a good file again, or pass <c>verifyFirst: true</c> to <c>LoadWeights</c> to check every value before
/// any weight is written. This is the only <see cref="ModelFileException"/> after which the model has changed.
/// </summary>
public sealed class WeightsPartlyLoadedException : ModelFileException
{
    /// <summary>Reading the values of <paramref name="weight"/>, at <paramref name="objectPath"/> in <paramref name="filePath"/>, failed with <paramref name="inner"/>.</summary>
    /// <param name="filePath">The file whose values were being read (an HDF5 file, or a checkpoint's data shard).</param>
    /// <param name="objectPath">Where the values are in it (an HDF5 dataset path, or a checkpoint key).</param>
    /// <param name="weight">The model's weight (or optimizer slot) being written, as the message names it.</param>
    /// <param name="inner">Why the read failed.</param>
    public WeightsPartlyLoadedException(string filePath, string objectPath, string weight, Exception inner)
        : base(filePath, objectPath,
            $"reading the values of {weight} failed after loading into the model had begun ({Describe(inner)}). The model's weights are now partly " +
            "from this file and partly as they were (as Keras' load_weights and TensorFlow's restore leave them): load a good file again. " +
            "LoadWeights(path, verifyFirst: true) checks every value before it writes any weight.", inner)
    {
        Weight = weight;
    }

    /// <summary>The weight (or optimizer slot) whose values could not be read, as the message names it.</summary>
    public string Weight { get; }

    static string Describe(Exception inner) => inner is LayerwiseException ? inner.Message : $"{inner.GetType().Name}: {inner.Message}";
}
