using static TorchSharp.torch;

namespace Layerwise.Layers;

/// <summary>
/// Keras' <c>AveragePooling3D</c>: the mean over each window of voxels; with <c>same</c> padding a border window averages only the cells inside the input, as TensorFlow does (see <see cref="BasePooling"/>).
/// </summary>
[Layer(Module = "keras.layers")]
public partial class AveragePooling3D : BasePooling
{
    /// <summary>Creates the layer with Keras' arguments and defaults (<c>keras.layers.AveragePooling3D</c>).</summary>
    /// <param name="poolSize">Size of the pooling window per spatial axis (Keras' <c>pool_size</c>); one value applies
    /// to every axis. Null: 2 on every axis.</param>
    /// <param name="strides">Step of the window per spatial axis (Keras' <c>strides</c>); one value applies to every
    /// axis. Null: 1 on every axis.</param>
    /// <param name="padding">Keras' <c>padding</c>: <c>valid</c> (no padding) or <c>same</c> (output size = input size
    /// / stride, TensorFlow's split).</param>
    /// <param name="dataFormat">Keras' <c>data_format</c>: <c>channels_last</c> (batch, spatial..., channels) or
    /// <c>channels_first</c> (batch, channels, spatial...). Null: <c>channels_last</c>.</param>
    /// <param name="inputShape">Per-sample input shape (batch left out; -1 for an unknown dimension), Keras'
    /// <c>input_shape</c>: lets a model build this layer before the first call. Null: built from the first
    /// input.</param>
    /// <param name="name">Layer name (Keras' <c>name</c>), unique within a model; weight paths in saved files start
    /// with it. Null: Keras' automatic name (snake_case class name plus a counter, e.g. <c>dense_1</c>).</param>
    /// <param name="trainable">Whether training updates this layer's weights (Keras' <c>trainable</c>).</param>
    public AveragePooling3D(int[]? poolSize = null, int[]? strides = null, string padding = "valid", string? dataFormat = null,
                            long[]? inputShape = null, string? name = null, bool trainable = true)
        : base(3, poolSize, strides, padding, dataFormat, inputShape, name, trainable) { }

    private protected override Tensor Pool(Tensor channelsFirst) => PoolingOps.Average(channelsFirst, PoolSize, Strides, Padding == "same");
}
