using static TorchSharp.torch;

namespace Layerwise.Layers;

/// <summary>
/// Keras' <c>AveragePooling2D</c>: the mean over each window (see <see cref="Pooling2D"/>); with
/// <c>same</c> padding a border window averages only the cells inside the input, as TensorFlow does.
/// </summary>
[Layer(Module = "keras.layers")]
public partial class AveragePooling2D : Pooling2D
{
    public AveragePooling2D(int[]? poolSize = null, int[]? strides = null, string padding = "valid", string? dataFormat = null,
                            long[]? inputShape = null, string? name = null, bool trainable = true)
        : base(poolSize, strides, padding, dataFormat, inputShape, name, trainable) { }

    private protected override Tensor Pool(Tensor nchw) => PoolingOps.Average(nchw, PoolSize, Strides, Padding == "same");
}
