namespace Layerwise.Formats;

/// <summary>
/// A model or weights file that cannot be read or written: corrupt, truncated, hostile (a zip member
/// path that leaves the archive, a declared size larger than the file), or describing something else
/// than the model expects (a missing weight, a wrong shape). The message names the file, the object
/// inside it and what was expected; nothing of the model has changed when it is thrown, except for its
/// subclass <see cref="WeightsPartlyLoadedException"/>.
/// </summary>
public class ModelFileException : LayerwiseException
{
    /// <summary>
    /// An error about <paramref name="objectPath"/> in <paramref name="filePath"/>; the message is prefixed with both.
    /// </summary>
    /// <param name="filePath">The file or directory being read or written.</param>
    /// <param name="objectPath">The object inside it (HDF5 path, attribute, zip member); empty when the file as a whole
    /// is concerned.</param>
    /// <param name="message">What is wrong and what was expected.</param>
    /// <param name="inner">The underlying exception, if any.</param>
    public ModelFileException(string filePath, string objectPath, string message, Exception? inner = null)
        : base(Compose(filePath, objectPath, message), inner ?? new InvalidDataException(message))
    {
        FilePath = filePath;
        ObjectPath = objectPath;
    }

    /// <summary>The file (or directory) being read or written.</summary>
    public string FilePath { get; }

    /// <summary>The object inside it: an HDF5 path (<c>/model_weights/dense/dense/kernel:0</c>), an attribute, a zip member.</summary>
    public string ObjectPath { get; }

    static string Compose(string filePath, string objectPath, string message) =>
        string.IsNullOrEmpty(objectPath)
            ? $"Cannot use \"{filePath}\": {message}"
            : $"Cannot use \"{filePath}\" (at {objectPath}): {message}";
}

/// <summary>
/// A model whose config holds code (a Keras <c>Lambda</c> layer: marshalled Python bytecode). It is
/// refused, never executed: rewrite the function as a <c>[Layer]</c> class.
/// </summary>
public sealed class LambdaLayerException : ModelFileException
{
    /// <summary>
    /// Refuses the Lambda layer <paramref name="layerName"/>; the message says how to replace it with a <c>[Layer]</c>
    /// class.
    /// </summary>
    /// <param name="filePath">The model file.</param>
    /// <param name="objectPath">Where the layer's config is in the file.</param>
    /// <param name="layerName">The Lambda layer's name.</param>
    public LambdaLayerException(string filePath, string objectPath, string layerName)
        : base(filePath, objectPath,
            $"layer \"{layerName}\" is a Keras Lambda layer. A Lambda holds Python code (marshalled bytecode), which Layerwise never " +
            "runs: it cannot be translated to .NET and running code from a file would be unsafe (Keras itself refuses it in safe mode). " +
            "Rewrite the function as a [Layer] class (a partial class deriving from Layer, computing the same thing in Call), rebuild " +
            "the model with it in Keras, save again, and load with that class registered.")
    {
        LayerName = layerName;
    }

    /// <summary>The name of the Lambda layer.</summary>
    public string LayerName { get; }
}
