using static TorchSharp.torch;

namespace Layerwise.Layers;

/// <summary>
/// Keras' <c>AveragePooling1D</c>: the mean over each window of steps; with <c>same</c> padding a border window averages only the steps inside the input, as TensorFlow does (see <see cref="Pooling1D"/>).
/// </summary>
[Layer(Module = "keras.layers")]
public partial class AveragePooling1D : Pooling1D
{
    public AveragePooling1D(int[]? poolSize = null, int[]? strides = null, string padding = "valid", string? dataFormat = null,
                            long[]? inputShape = null, string? name = null, bool trainable = true)
        : base(poolSize, strides, padding, dataFormat, inputShape, name, trainable) { }

    private protected override Tensor Pool(Tensor nchw, int[] pool, int[] strides) => PoolingOps.Average(nchw, pool, strides, Padding == "same");
}
