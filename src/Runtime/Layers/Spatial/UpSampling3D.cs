namespace Layerwise.Layers;

/// <summary>Keras' <c>UpSampling3D</c>: each spatial axis repeated by its factor in <see cref="Size"/> (2 by default), nearest neighbour (see <see cref="UpSampling"/>).</summary>
[Layer(Module = "keras.layers")]
public partial class UpSampling3D : UpSampling
{
    /// <summary>Creates the layer with Keras' arguments and defaults (<c>keras.layers.UpSampling3D</c>).</summary>
    /// <param name="size">Factor per spatial axis, or one for all (Keras' <c>size</c>). Null: (2, 2, 2).</param>
    /// <param name="dataFormat">Keras' <c>data_format</c>: <c>channels_last</c> (batch, spatial..., channels) or
    /// <c>channels_first</c> (batch, channels, spatial...). Null: <c>channels_last</c>.</param>
    /// <param name="inputShape">Per-sample input shape (batch left out; -1 for an unknown dimension), Keras'
    /// <c>input_shape</c>: lets a model build this layer before the first call. Null: built from the first
    /// input.</param>
    /// <param name="name">Layer name (Keras' <c>name</c>), unique within a model; weight paths in saved files start
    /// with it. Null: Keras' automatic name (snake_case class name plus a counter, e.g. <c>dense_1</c>).</param>
    /// <param name="trainable">Whether training updates this layer's weights (Keras' <c>trainable</c>).</param>
    public UpSampling3D(int[]? size = null, string? dataFormat = null,
                        long[]? inputShape = null, string? name = null, bool trainable = true)
        : base(3, ConvolutionArithmetic.Tuple(size, 3, 2, nameof(size)), dataFormat, "nearest", inputShape, name, trainable) => Size = Factors;

    /// <summary>Factor per spatial axis (Keras' <c>size</c>).</summary>
    public int[] Size { get; }
}
