namespace Layerwise.Layers;

/// <summary>Keras' <c>UpSampling2D</c>: each spatial axis repeated by its factor in <see cref="Size"/> (2 by default), nearest neighbour or <c>bilinear</c> (see <see cref="UpSampling"/>).</summary>
[Layer(Module = "keras.layers")]
public partial class UpSampling2D : UpSampling
{
    /// <summary>Creates the layer with Keras' arguments and defaults (<c>keras.layers.UpSampling2D</c>).</summary>
    /// <param name="size">Factor per spatial axis, (rows, cols) or one for both (Keras' <c>size</c>). Null: (2,
    /// 2).</param>
    /// <param name="dataFormat">Keras' <c>data_format</c>: <c>channels_last</c> (batch, spatial..., channels) or
    /// <c>channels_first</c> (batch, channels, spatial...). Null: <c>channels_last</c>.</param>
    /// <param name="interpolation">Interpolation of the resampling (Keras' <c>interpolation</c>): <c>nearest</c> or
    /// <c>bilinear</c>.</param>
    /// <param name="inputShape">Per-sample input shape (batch left out; -1 for an unknown dimension), Keras'
    /// <c>input_shape</c>: lets a model build this layer before the first call. Null: built from the first
    /// input.</param>
    /// <param name="name">Layer name (Keras' <c>name</c>), unique within a model; weight paths in saved files start
    /// with it. Null: Keras' automatic name (snake_case class name plus a counter, e.g. <c>dense_1</c>).</param>
    /// <param name="trainable">Whether training updates this layer's weights (Keras' <c>trainable</c>).</param>
    public UpSampling2D(int[]? size = null, string? dataFormat = null, string interpolation = "nearest",
                        long[]? inputShape = null, string? name = null, bool trainable = true)
        : base(2, ConvolutionArithmetic.Tuple(size, 2, 2, nameof(size)), dataFormat, interpolation, inputShape, name, trainable) => Size = Factors;

    /// <summary>Factor per spatial axis, (rows, cols) (Keras' <c>size</c>).</summary>
    public int[] Size { get; }
}
