using static TorchSharp.torch;

namespace Layerwise;

/// <summary>
/// A tensor's shape read cheaply, for the per-call checks of layers and models: TorchSharp's
/// <c>shape</c> fills its array through a native callback that pins a managed array (~0.5 µs for a 4-D
/// tensor here, paid by every layer on every call), where <c>dim()</c> and <c>size(i)</c> are plain
/// native calls (~0.07 µs for all four).
/// </summary>
internal static class TensorSizes
{
    /// <summary>The sizes of every dimension, as <c>tensor.shape</c> gives them.</summary>
    public static long[] Sizes(this Tensor tensor)
    {
        var sizes = new long[tensor.dim()];
        for (int i = 0; i < sizes.Length; i++) sizes[i] = tensor.size(i);
        return sizes;
    }
}
