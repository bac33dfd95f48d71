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
    /// <summary>Creates the layer with Keras' arguments and defaults (<c>keras.layers.InputLayer</c>).</summary>
    /// <param name="inputShape">Per-sample input shape (batch left out; -1 for Keras' None); the config writes it as
    /// Keras' <c>batch_shape</c>.</param>
    /// <param name="name">Layer name (Keras' <c>name</c>), unique within a model; weight paths in saved files start
    /// with it. Null: Keras' automatic name (snake_case class name plus a counter, e.g. <c>dense_1</c>).</param>
    public InputLayer([ConfigKey("batch_shape")] long[] inputShape, string? name = null)
        : base(name ?? UniqueNames.Next("input"), trainable: false, inputShape: inputShape)
    {
        // Keras gives every InputLayer one node of its own, with no inputs: node 0 in configs.
        var node = new Node(this, [], [.. inputShape]);
        InboundNodes.Add(node);
    }

    /// <summary>The per-sample input shape (batch left out; -1 for Keras' None).</summary>
    public long[] Shape => DeclaredInputShape!;

    /// <summary>The symbolic tensor this layer feeds into a functional model.</summary>
    public KerasTensor Output => InboundNodes[0].Output;

    /// <inheritdoc/>
    public override Tensor Call(Tensor inputs, bool training = false) => inputs.alias();
}
