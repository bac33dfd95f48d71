using static TorchSharp.torch;

namespace Layerwise.Layers;

/// <summary>
/// Keras' <c>MaxPooling1D</c>: the maximum over each window of steps; <c>same</c> padding ignores the border, as TensorFlow does (see <see cref="BasePooling"/>).
/// </summary>
[Layer(Module = "keras.layers")]
public partial class MaxPooling1D : BasePooling
{
    public MaxPooling1D(int[]? poolSize = null, int[]? strides = null, string padding = "valid", string? dataFormat = null,
                        long[]? inputShape = null, string? name = null, bool trainable = true)
        : base(1, poolSize, strides, padding, dataFormat, inputShape, name, trainable) { }

    private protected override Tensor Pool(Tensor channelsFirst) => PoolingOps.Max(channelsFirst, PoolSize, Strides, Padding == "same");
}
