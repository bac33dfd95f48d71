namespace Layerwise.Layers;

/// <summary>
/// Keras' <c>Cropping2D</c>: cells removed before and after each spatial axis, in Keras' forms: [[n]]
/// everywhere, one per axis ([[a], [b]...]) or a (before, after) pair per axis (default 0 everywhere);
/// see <see cref="Cropping"/>.
/// </summary>
[Layer(Module = "keras.layers")]
public partial class Cropping2D : Cropping
{
    /// <summary>Creates the layer with Keras' arguments and defaults (<c>keras.layers.Cropping2D</c>).</summary>
    /// <param name="cropping">Cells removed per spatial axis: [[n]] for all, [[a], [b]...] per axis, or a (before,
    /// after) pair per axis (Keras' <c>cropping</c>). Null: 0 everywhere.</param>
    /// <param name="dataFormat">Keras' <c>data_format</c>: <c>channels_last</c> (batch, spatial..., channels) or
    /// <c>channels_first</c> (batch, channels, spatial...). Null: <c>channels_last</c>.</param>
    /// <param name="inputShape">Per-sample input shape (batch left out; -1 for an unknown dimension), Keras'
    /// <c>input_shape</c>: lets a model build this layer before the first call. Null: built from the first
    /// input.</param>
    /// <param name="name">Layer name (Keras' <c>name</c>), unique within a model; weight paths in saved files start
    /// with it. Null: Keras' automatic name (snake_case class name plus a counter, e.g. <c>dense_1</c>).</param>
    /// <param name="trainable">Whether training updates this layer's weights (Keras' <c>trainable</c>).</param>
    public Cropping2D(int[][]? cropping = null, string? dataFormat = null, long[]? inputShape = null, string? name = null, bool trainable = true)
        : base(2, SpatialMargins.Pairs(cropping, 2, 0, nameof(cropping)), dataFormat, inputShape, name, trainable) => Cropping = Margins;

    /// <summary>
    /// Cells removed before and after each spatial axis, one (before, after) pair per axis (Keras' <c>cropping</c>).
    /// </summary>
    public int[][] Cropping { get; }
}
