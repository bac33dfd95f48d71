using Layerwise.Models;
using static TorchSharp.torch;

namespace Layerwise.Layers;

public abstract partial class Layer
{
    /// <summary>
    /// The calls of this layer on symbolic tensors, in order (Keras' <c>_inbound_nodes</c>): node
    /// indices in configs and in <see cref="Model.Summary"/>'s "Connected to" count these.
    /// </summary>
    internal List<Node> InboundNodes { get; } = [];

    /// <summary>
    /// Keras' <c>layer(x)</c> on a symbolic tensor: records the call (a node of the graph a
    /// <see cref="Functional"/> model is made of), builds the layer for the input's shape on its first
    /// call (so its weights exist before any data is seen, as in Keras), and returns the symbolic
    /// output with its shape. Calling a layer again on another tensor reuses its weights (a shared layer).
    /// </summary>
    /// <exception cref="IncompatibleShapeException">A built layer cannot take the input's shape.</exception>
    public KerasTensor Call(KerasTensor input) => CallSymbolic([input]);

    /// <summary>
    /// As <see cref="Call(KerasTensor)"/>, for layers that take several inputs (Keras' <c>Add()([a, b])</c>
    /// is <c>new Add().Call(a, b)</c>); a single-input layer accepts exactly one.
    /// </summary>
    public KerasTensor Call(params KerasTensor[] inputs) => CallSymbolic(inputs);

    /// <summary>
    /// Keras' <c>layer(x, training=...)</c>: as <see cref="Call(KerasTensor)"/>, with the layer's mode
    /// fixed for this call. <c>training: false</c> keeps it in inference mode even while the model is
    /// trained (a frozen BatchNormalization in transfer learning); null follows the model.
    /// </summary>
    public KerasTensor Call(KerasTensor input, bool? training) => CallSymbolic([input], training);

    internal KerasTensor CallSymbolic(IReadOnlyList<KerasTensor> inputs, bool? training = null)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        if (inputs.Count == 0 || inputs.Any(t => t is null))
            throw new ArgumentException($"Layer \"{Name}\" must be called on at least one symbolic tensor, none of them null.", nameof(inputs));
        if (this is InputLayer)
            throw new InvalidOperationException($"InputLayer \"{Name}\" cannot be called: use its tensor (Keras.Input(...)) as an input instead.");
        if (this is Model model) model.RequireOneInputAndOutputAsLayer();
        var shapes = inputs.Select(t => t.Shape).ToList();
        if (!Built) BuildForNode(shapes);
        else CheckNodeInputShapes(shapes);
        var node = new Node(this, [.. inputs], ComputeNodeOutputShape(shapes), training);
        InboundNodes.Add(node);
        return node.Output;
    }

    /// <summary>Builds the layer for the per-sample shapes of one call's inputs; single-input layers take one.</summary>
    private protected virtual void BuildForNode(IReadOnlyList<long[]> inputShapes)
    {
        RequireOneInput(inputShapes.Count);
        EnsureBuilt(inputShapes[0]);
    }

    /// <summary>Checks the shapes of a later call of a built layer (a shared layer), before any tensor math.</summary>
    private protected virtual void CheckNodeInputShapes(IReadOnlyList<long[]> inputShapes)
    {
        RequireOneInput(inputShapes.Count);
        CheckInputShape([1, .. inputShapes[0]]);
    }

    /// <summary>The per-sample output shape of one call; single-input layers take one input shape.</summary>
    private protected virtual long[] ComputeNodeOutputShape(IReadOnlyList<long[]> inputShapes)
    {
        RequireOneInput(inputShapes.Count);
        return ComputeOutputShape(inputShapes[0]);
    }

    /// <summary>Runs one node of a functional model on real tensors (shape checks and first build included).</summary>
    private protected virtual Tensor InvokeNode(IReadOnlyList<Tensor> inputs, bool training)
    {
        RequireOneInput(inputs.Count);
        return Invoke(inputs[0], training);
    }

    internal Tensor InvokeGraphNode(IReadOnlyList<Tensor> inputs, bool training) => InvokeNode(inputs, training);

    /// <summary>
    /// Runs one node with its inputs' masks; returns the output and its mask. A single-input layer takes and
    /// gives a mask (<see cref="InvokeWithMask"/>); layers of several inputs (merge layers) drop masks.
    /// </summary>
    internal (Tensor Output, Tensor? Mask) InvokeGraphNode(IReadOnlyList<Tensor> inputs, IReadOnlyList<Tensor?> masks, bool training) =>
        inputs.Count == 1 && this is not Merge ? InvokeWithMask(inputs[0], masks[0], training) : (InvokeNode(inputs, training), null);

    internal long[] GraphNodeOutputShape(IReadOnlyList<long[]> inputShapes) => ComputeNodeOutputShape(inputShapes);

    void RequireOneInput(int count)
    {
        if (count != 1)
            throw new ArgumentException($"Layer \"{Name}\" ({ClassName}) takes one input, but it was called on {count}; " +
                                        "layers that combine several inputs are merge layers (Add, Concatenate).");
    }
}
