namespace Layerwise.Layers;

/// <summary>
/// One call of a layer on symbolic tensors (Keras' <c>Node</c>): the layer, the tensors it was called
/// on, and the tensor it produced. An <see cref="InputLayer"/> has one node with no inputs, made when
/// it is created. Nodes are kept by the layer (<see cref="Layer.InboundNodes"/>) in call order, so a
/// layer called twice (shared weights) has two.
/// </summary>
internal sealed class Node
{
    internal Node(Layer layer, IReadOnlyList<KerasTensor> inputs, long[] outputShape, bool? training = null)
    {
        Layer = layer;
        Inputs = inputs;
        Training = training;
        Index = layer.InboundNodes.Count;
        Output = new KerasTensor(this, outputShape);
    }

    public Layer Layer { get; }

    /// <summary>The tensors the layer was called on, in order; empty for an input node.</summary>
    public IReadOnlyList<KerasTensor> Inputs { get; }

    /// <summary>The node's position in its layer's <see cref="Layer.InboundNodes"/>.</summary>
    public int Index { get; }

    public KerasTensor Output { get; }

    /// <summary>
    /// The <c>training</c> argument the layer was called with (<c>layer(x, training=False)</c>), which
    /// wins over the model's mode when the graph runs: a layer called with false stays in inference mode
    /// during Fit. Null when the call left it unset (the layer follows the model).
    /// </summary>
    public bool? Training { get; }

    /// <summary>An <see cref="InputLayer"/>'s own node: it computes nothing, a model feeds its tensor.</summary>
    public bool IsInput => Inputs.Count == 0;
}
