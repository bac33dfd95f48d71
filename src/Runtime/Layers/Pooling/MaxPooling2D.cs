using static TorchSharp.torch;

namespace Layerwise.Layers;

/// <summary>
/// Keras' <c>MaxPooling2D</c>: the maximum over each window (see <see cref="Pooling2D"/>); <c>same</c>
/// padding ignores the border, as TensorFlow does.
/// </summary>
[Layer(Module = "keras.layers")]
public partial class MaxPooling2D : Pooling2D
{
    public MaxPooling2D(int[]? poolSize = null, int[]? strides = null, string padding = "valid", string? dataFormat = null,
                        long[]? inputShape = null, string? name = null, bool trainable = true)
        : base(poolSize, strides, padding, dataFormat, inputShape, name, trainable) { }

    private protected override Tensor Pool(Tensor nchw) => PoolingOps.Max(nchw, PoolSize, Strides, Padding == "same");
}
