using static TorchSharp.torch;

namespace Layerwise.Layers;

/// <summary>
/// Keras' <c>AveragePooling3D</c>: the mean over each window of voxels; with <c>same</c> padding a border window averages only the cells inside the input, as TensorFlow does (see <see cref="BasePooling"/>).
/// </summary>
[Layer(Module = "keras.layers")]
public partial class AveragePooling3D : BasePooling
{
    public AveragePooling3D(int[]? poolSize = null, int[]? strides = null, string padding = "valid", string? dataFormat = null,
                            long[]? inputShape = null, string? name = null, bool trainable = true)
        : base(3, poolSize, strides, padding, dataFormat, inputShape, name, trainable) { }

    private protected override Tensor Pool(Tensor channelsFirst) => PoolingOps.Average(channelsFirst, PoolSize, Strides, Padding == "same");
}
