namespace Layerwise.Layers;

/// <summary>
/// Keras' <c>ZeroPadding2D</c>: zeros added before and after each spatial axis, in Keras' forms: [[n]]
/// everywhere, one per axis ([[a], [b]...]) or a (before, after) pair per axis (default 1 everywhere);
/// see <see cref="ZeroPadding"/>.
/// </summary>
[Layer(Module = "keras.layers")]
public partial class ZeroPadding2D : ZeroPadding
{
    /// <summary>Creates the layer with Keras' arguments and defaults (<c>keras.layers.ZeroPadding2D</c>).</summary>
    /// <param name="padding">Zeros added per spatial axis: [[n]] for all, [[a], [b]...] per axis, or a (before, after)
    /// pair per axis (Keras' <c>padding</c>). Null: 1 everywhere.</param>
    /// <param name="dataFormat">Keras' <c>data_format</c>: <c>channels_last</c> (batch, spatial..., channels) or
    /// <c>channels_first</c> (batch, channels, spatial...). Null: <c>channels_last</c>.</param>
    /// <param name="inputShape">Per-sample input shape (batch left out; -1 for an unknown dimension), Keras'
    /// <c>input_shape</c>: lets a model build this layer before the first call. Null: built from the first
    /// input.</param>
    /// <param name="name">Layer name (Keras' <c>name</c>), unique within a model; weight paths in saved files start
    /// with it. Null: Keras' automatic name (snake_case class name plus a counter, e.g. <c>dense_1</c>).</param>
    /// <param name="trainable">Whether training updates this layer's weights (Keras' <c>trainable</c>).</param>
    public ZeroPadding2D(int[][]? padding = null, string? dataFormat = null, long[]? inputShape = null, string? name = null, bool trainable = true)
        : base(2, SpatialMargins.Pairs(padding, 2, 1, nameof(padding)), dataFormat, inputShape, name, trainable) => Padding = Margins;

    /// <summary>
    /// Zeros added before and after each spatial axis, one (before, after) pair per axis (Keras' <c>padding</c>).
    /// </summary>
    public int[][] Padding { get; }
}
