using static TorchSharp.torch;

namespace Layerwise.Layers;

/// <summary>Keras' <c>GlobalMaxPooling2D</c>: the maximum over height and width of (batch, height, width, channels) (see <see cref="GlobalPooling"/>).</summary>
[Layer(Module = "keras.layers")]
public partial class GlobalMaxPooling2D : GlobalPooling
{
    /// <summary>
    /// Creates the layer with Keras' arguments and defaults (<c>keras.layers.GlobalMaxPooling2D</c>).
    /// </summary>
    /// <param name="dataFormat">Keras' <c>data_format</c>: <c>channels_last</c> (batch, spatial..., channels) or
    /// <c>channels_first</c> (batch, channels, spatial...). Null: <c>channels_last</c>.</param>
    /// <param name="keepdims">Whether to keep the pooled spatial axes with size 1 (Keras' <c>keepdims</c>).</param>
    /// <param name="inputShape">Per-sample input shape (batch left out; -1 for an unknown dimension), Keras'
    /// <c>input_shape</c>: lets a model build this layer before the first call. Null: built from the first
    /// input.</param>
    /// <param name="name">Layer name (Keras' <c>name</c>), unique within a model; weight paths in saved files start
    /// with it. Null: Keras' automatic name (snake_case class name plus a counter, e.g. <c>dense_1</c>).</param>
    /// <param name="trainable">Whether training updates this layer's weights (Keras' <c>trainable</c>).</param>
    public GlobalMaxPooling2D(string? dataFormat = null, bool keepdims = false, long[]? inputShape = null, string? name = null, bool trainable = true)
        : base(2, dataFormat, keepdims, inputShape, name, trainable) { }

    private protected override Tensor Reduce(Tensor inputs, long[] axes, bool keepdims) => inputs.amax(axes, keepdims);
}
