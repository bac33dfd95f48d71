using static TorchSharp.torch;

namespace Layerwise.Layers;

/// <summary>
/// Base of layers that combine several inputs into one (Keras' <c>Merge</c>): <see cref="Add"/>,
/// <see cref="Concatenate"/>. They are called on symbolic tensors, <c>new Add().Call(a, b)</c>, and
/// run inside a <see cref="Models.Functional"/> model. Shapes are checked in managed code before any
/// tensor math (a native shape error would end the process).
/// </summary>
public abstract class Merge : Layer
{
    /// <summary>Initializes a layer that takes several inputs.</summary>
    /// <param name="name">Layer name (Keras' <c>name</c>), unique within a model; weight paths in saved files start
    /// with it. Null: Keras' automatic name (snake_case class name plus a counter, e.g. <c>dense_1</c>).</param>
    /// <param name="trainable">Whether training updates this layer's weights (Keras' <c>trainable</c>).</param>
    protected Merge(string? name = null, bool trainable = true) : base(name, trainable) { }

    /// <summary>The layer's computation on one batch of each input.</summary>
    public abstract Tensor Call(IReadOnlyList<Tensor> inputs, bool training = false);

    /// <summary>
    /// The per-sample output shape for the inputs' per-sample shapes; throws
    /// <see cref="IncompatibleShapeException"/> when the layer cannot combine them.
    /// </summary>
    public abstract long[] ComputeOutputShape(IReadOnlyList<long[]> inputShapes);

    /// <summary>A merge layer needs a list of inputs: Keras' "A merge layer should be called on a list of inputs".</summary>
    public override Tensor Call(Tensor inputs, bool training = false) =>
        throw new InvalidOperationException($"Merge layer \"{Name}\" ({ClassName}) should be called on a list of inputs: Call(IReadOnlyList<Tensor>), or Call(a, b) on symbolic tensors.");

    private protected override void BuildForNode(IReadOnlyList<long[]> inputShapes)
    {
        ComputeOutputShape(inputShapes);
        EnsureBuilt(inputShapes[0]);
    }

    private protected override void CheckNodeInputShapes(IReadOnlyList<long[]> inputShapes) => ComputeOutputShape(inputShapes);

    private protected override long[] ComputeNodeOutputShape(IReadOnlyList<long[]> inputShapes) => ComputeOutputShape(inputShapes);

    private protected override Tensor InvokeNode(IReadOnlyList<Tensor> inputs, bool training)
    {
        ComputeOutputShape([.. inputs.Select(t => t.shape.Skip(1).ToArray())]);
        long batch = inputs[0].shape[0];
        if (inputs.Any(t => t.shape[0] != batch))
            throw new IncompatibleShapeException(Name, $"inputs with the same batch size ({batch})", inputs.First(t => t.shape[0] != batch).shape);
        if (!Built) EnsureBuilt(inputs[0].shape.Skip(1).ToArray());
        return Call(inputs, training);
    }

    /// <summary>Fails unless there are at least <paramref name="minimum"/> inputs.</summary>
    protected void RequireInputs(int count, int minimum = 2)
    {
        if (count < minimum)
            throw new ArgumentException($"Merge layer \"{Name}\" ({ClassName}) should be called on a list of at least {minimum} inputs; received {count}.");
    }
}
