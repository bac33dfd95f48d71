using Layerwise.Export.Onnx;

namespace Layerwise.Models;

public abstract partial class Model
{
    /// <summary>
    /// Writes the model as an ONNX file (opset 17) that computes what <c>Predict</c>
    /// computes, for ONNX Runtime and other ONNX tools. Sequential and Functional models of the layers
    /// ONNX expresses are supported (docs/formats.md lists them); the batch axis and unknown (-1) sizes
    /// stay dynamic. The file is written beside and renamed into place.
    /// </summary>
    /// <exception cref="OnnxExportException">Some layers have no ONNX form; the message names every one of them.</exception>
    public void ExportOnnx(string path) => OnnxExporter.Export(this, path);
}
