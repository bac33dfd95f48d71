using static TorchSharp.torch;

namespace Layerwise.Layers;

/// <summary>Keras' <c>Softmax</c> layer: softmax along <see cref="Axis"/> (the last axis by default).</summary>
[Layer(Module = "keras.layers")]
public partial class Softmax : Layer
{
    /// <summary>Creates the layer with Keras' arguments and defaults (<c>keras.layers.Softmax</c>).</summary>
    /// <param name="axis">Axis normalized over (Keras' <c>axis</c>; batch counted, -1 the last).</param>
    /// <param name="inputShape">Per-sample input shape (batch left out; -1 for an unknown dimension), Keras'
    /// <c>input_shape</c>: lets a model build this layer before the first call. Null: built from the first
    /// input.</param>
    /// <param name="name">Layer name (Keras' <c>name</c>), unique within a model; weight paths in saved files start
    /// with it. Null: Keras' automatic name (snake_case class name plus a counter, e.g. <c>dense_1</c>).</param>
    /// <param name="trainable">Whether training updates this layer's weights (Keras' <c>trainable</c>).</param>
    public Softmax(int axis = -1, long[]? inputShape = null, string? name = null, bool trainable = true)
        : base(name, trainable, inputShape) => Axis = axis;

    /// <summary>Axis normalized over (Keras' <c>axis</c>; batch counted, -1 the last).</summary>
    public int Axis { get; }

    /// <inheritdoc/>
    public override Tensor Call(Tensor inputs, bool training = false) => nn.functional.softmax(inputs, Axis);
}
