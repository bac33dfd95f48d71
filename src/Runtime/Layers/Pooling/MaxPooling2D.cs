using static TorchSharp.torch;

namespace Layerwise.Layers;

/// <summary>
/// Keras' <c>MaxPooling2D</c>: the maximum over each window of cells; <c>same</c> padding ignores the border, as TensorFlow does (see <see cref="BasePooling"/>).
/// </summary>
[Layer(Module = "keras.layers")]
public partial class MaxPooling2D : BasePooling
{
    public MaxPooling2D(int[]? poolSize = null, int[]? strides = null, string padding = "valid", string? dataFormat = null,
                        long[]? inputShape = null, string? name = null, bool trainable = true)
        : base(2, poolSize, strides, padding, dataFormat, inputShape, name, trainable) { }

    private protected override Tensor Pool(Tensor channelsFirst) => PoolingOps.Max(channelsFirst, PoolSize, Strides, Padding == "same");
}
