namespace Layerwise.Layers;

/// <summary>Keras' <c>UpSampling1D</c>: each step of (batch, steps, features) repeated <see cref="Size"/> times (see <see cref="UpSampling"/>).</summary>
[Layer(Module = "keras.layers")]
public partial class UpSampling1D : UpSampling
{
    /// <summary>Creates the layer with Keras' arguments and defaults (<c>keras.layers.UpSampling1D</c>).</summary>
    /// <param name="size">How many times each step is repeated (Keras' <c>size</c>).</param>
    /// <param name="inputShape">Per-sample input shape (batch left out; -1 for an unknown dimension), Keras'
    /// <c>input_shape</c>: lets a model build this layer before the first call. Null: built from the first
    /// input.</param>
    /// <param name="name">Layer name (Keras' <c>name</c>), unique within a model; weight paths in saved files start
    /// with it. Null: Keras' automatic name (snake_case class name plus a counter, e.g. <c>dense_1</c>).</param>
    /// <param name="trainable">Whether training updates this layer's weights (Keras' <c>trainable</c>).</param>
    public UpSampling1D(int size = 2, long[]? inputShape = null, string? name = null, bool trainable = true)
        : base(1, [Positive(size)], null, "nearest", inputShape, name, trainable) => Size = size;

    /// <summary>How many times each step is repeated (Keras' <c>size</c>).</summary>
    public int Size { get; }

    static int Positive(int size) => size > 0 ? size : throw new ArgumentOutOfRangeException(nameof(size), size, "UpSampling1D's size must be positive.");
}
