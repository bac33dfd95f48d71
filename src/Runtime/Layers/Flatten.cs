using static TorchSharp.torch;

namespace Layerwise.Layers;

/// <summary>
/// Keras' <c>Flatten</c>: each sample becomes a vector; the batch dimension is kept. With an unknown
/// input dimension the vector's length is unknown too (Keras' <c>(None, None)</c>).
/// </summary>
[Layer(Module = "keras.layers")]
public partial class Flatten : Layer
{
    /// <summary>Creates the layer with Keras' arguments and defaults (<c>keras.layers.Flatten</c>).</summary>
    /// <param name="inputShape">Per-sample input shape (batch left out; -1 for an unknown dimension), Keras'
    /// <c>input_shape</c>: lets a model build this layer before the first call. Null: built from the first
    /// input.</param>
    /// <param name="name">Layer name (Keras' <c>name</c>), unique within a model; weight paths in saved files start
    /// with it. Null: Keras' automatic name (snake_case class name plus a counter, e.g. <c>dense_1</c>).</param>
    /// <param name="trainable">Whether training updates this layer's weights (Keras' <c>trainable</c>).</param>
    public Flatten(long[]? inputShape = null, string? name = null, bool trainable = true)
        : base(name, trainable, inputShape) { }

    /// <inheritdoc/>
    public override Tensor Call(Tensor inputs, bool training = false) => inputs.reshape(inputs.size(0), -1);

    /// <inheritdoc/>
    public override long[] ComputeOutputShape(long[] inputShape) => [Dimensions.Product(inputShape)];
}
