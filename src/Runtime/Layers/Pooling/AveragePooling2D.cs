using static TorchSharp.torch;

namespace Layerwise.Layers;

/// <summary>
/// Keras' <c>AveragePooling2D</c>: the mean over each window of cells; with <c>same</c> padding a border window averages only the cells inside the input, as TensorFlow does (see <see cref="BasePooling"/>).
/// </summary>
[Layer(Module = "keras.layers")]
public partial class AveragePooling2D : BasePooling
{
    public AveragePooling2D(int[]? poolSize = null, int[]? strides = null, string padding = "valid", string? dataFormat = null,
                            long[]? inputShape = null, string? name = null, bool trainable = true)
        : base(2, poolSize, strides, padding, dataFormat, inputShape, name, trainable) { }

    private protected override Tensor Pool(Tensor channelsFirst) => PoolingOps.Average(channelsFirst, PoolSize, Strides, Padding == "same");
}
