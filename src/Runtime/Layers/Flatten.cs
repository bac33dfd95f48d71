using static TorchSharp.torch;

namespace Layerwise.Layers;

/// <summary>
/// Keras' <c>Flatten</c>: each sample becomes a vector; the batch dimension is kept. With an unknown
/// input dimension the vector's length is unknown too (Keras' <c>(None, None)</c>).
/// </summary>
[Layer(Module = "keras.layers")]
public partial class Flatten : Layer
{
    public Flatten(long[]? inputShape = null, string? name = null, bool trainable = true)
        : base(name, trainable, inputShape) { }

    public override Tensor Call(Tensor inputs, bool training = false) => inputs.reshape(inputs.shape[0], -1);

    public override long[] ComputeOutputShape(long[] inputShape) => [Dimensions.Product(inputShape)];
}
