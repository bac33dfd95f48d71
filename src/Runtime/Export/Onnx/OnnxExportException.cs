namespace Layerwise.Export.Onnx;

/// <summary>
/// A model that cannot be written as ONNX: <see cref="Layers"/> names every layer without an ONNX form
/// (found all at once, so one export attempt lists them all), each with the reason.
/// </summary>
public sealed class OnnxExportException : LayerwiseException
{
    /// <summary>A refused export listing every layer without an ONNX form.</summary>
    /// <param name="message">The message, with each layer's reason.</param>
    /// <param name="layers">The names of the refused layers.</param>
    public OnnxExportException(string message, IReadOnlyList<string> layers) : base(message) => Layers = layers;

    /// <summary>The names of the layers that were refused.</summary>
    public IReadOnlyList<string> Layers { get; }
}
