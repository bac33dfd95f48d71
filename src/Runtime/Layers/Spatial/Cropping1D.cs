namespace Layerwise.Layers;

/// <summary>
/// Keras' <c>Cropping1D</c>: cells removed before and after the steps of (batch, steps, features):
/// [n] on both sides or [before, after] (default [1, 1]); see <see cref="Cropping"/>.
/// </summary>
[Layer(Module = "keras.layers")]
public partial class Cropping1D : Cropping
{
    /// <summary>Creates the layer with Keras' arguments and defaults (<c>keras.layers.Cropping1D</c>).</summary>
    /// <param name="cropping">Steps removed at the start and end, (before, after) or one value for both (Keras'
    /// <c>cropping</c>). Null: (1, 1).</param>
    /// <param name="inputShape">Per-sample input shape (batch left out; -1 for an unknown dimension), Keras'
    /// <c>input_shape</c>: lets a model build this layer before the first call. Null: built from the first
    /// input.</param>
    /// <param name="name">Layer name (Keras' <c>name</c>), unique within a model; weight paths in saved files start
    /// with it. Null: Keras' automatic name (snake_case class name plus a counter, e.g. <c>dense_1</c>).</param>
    /// <param name="trainable">Whether training updates this layer's weights (Keras' <c>trainable</c>).</param>
    public Cropping1D(int[]? cropping = null, long[]? inputShape = null, string? name = null, bool trainable = true)
        : base(1, [SpatialMargins.Pair(cropping, 1, nameof(cropping))], null, inputShape, name, trainable) => Cropping = Margins[0];

    /// <summary>Steps removed at the start and the end (Keras' <c>cropping</c>).</summary>
    public int[] Cropping { get; }
}
