using static TorchSharp.torch;

namespace Layerwise;

/// <summary>Keras-style shapes of TorchSharp tensors.</summary>
public static class TensorShapeExtensions
{
    /// <summary>
    /// The tensor's shape as a <see cref="Shape"/>, which prints as Keras does: <c>(1000, 10)</c>
    /// (TorchSharp's <c>tensor.shape</c> is a <c>long[]</c>, which prints <c>System.Int64[]</c>).
    /// </summary>
    public static Shape KerasShape(this Tensor tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        return new Shape(tensor.shape);
    }
}
