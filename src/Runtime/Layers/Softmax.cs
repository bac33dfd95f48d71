using static TorchSharp.torch;

namespace Layerwise.Layers;

/// <summary>Keras' <c>Softmax</c> layer: softmax along <see cref="Axis"/> (the last axis by default).</summary>
[Layer(Module = "keras.layers")]
public partial class Softmax : Layer
{
    public Softmax(int axis = -1, long[]? inputShape = null, string? name = null, bool trainable = true)
        : base(name, trainable, inputShape) => Axis = axis;

    public int Axis { get; }

    public override Tensor Call(Tensor inputs, bool training = false) => nn.functional.softmax(inputs, Axis);
}
