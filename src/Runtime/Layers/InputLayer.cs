using static TorchSharp.torch;

namespace Layerwise.Layers;

/// <summary>
/// Keras' <c>InputLayer</c>: declares a model's per-sample input shape. In a
/// <see cref="Models.Sequential"/> it sets the input shape and is not listed among the layers,
/// as in Keras.
/// </summary>
[Layer(Module = "keras.layers")]
public partial class InputLayer : Layer
{
    public InputLayer([ConfigKey("batch_shape")] long[] inputShape, string? name = null)
        : base(name ?? UniqueNames.Next("input"), trainable: false, inputShape: inputShape) { }

    public long[] Shape => DeclaredInputShape!;

    public override Tensor Call(Tensor inputs, bool training = false) => inputs.alias();
}
