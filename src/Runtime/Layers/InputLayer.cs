using static TorchSharp.torch;

namespace Layerwise.Layers;

/// <summary>
/// Keras' <c>InputLayer</c>: declares a model's per-sample input shape. In a
/// <see cref="Models.Sequential"/> it sets the input shape and is not listed among the layers,
/// as in Keras. In a <see cref="Models.Functional"/> model it is one of the layers, and its
/// <see cref="Output"/> (what <see cref="Keras.Input"/> returns) is where the graph starts.
/// </summary>
[Layer(Module = "keras.layers")]
public partial class InputLayer : Layer
{
    public InputLayer([ConfigKey("batch_shape")] long[] inputShape, string? name = null)
        : base(name ?? UniqueNames.Next("input"), trainable: false, inputShape: inputShape)
    {
        // Keras gives every InputLayer one node of its own, with no inputs: node 0 in configs.
        var node = new Node(this, [], [.. inputShape]);
        InboundNodes.Add(node);
    }

    public long[] Shape => DeclaredInputShape!;

    /// <summary>The symbolic tensor this layer feeds into a functional model.</summary>
    public KerasTensor Output => InboundNodes[0].Output;

    public override Tensor Call(Tensor inputs, bool training = false) => inputs.alias();
}
