namespace Layerwise.Layers;

/// <summary>
/// A symbolic tensor (Keras' <c>KerasTensor</c>): no values, only a per-sample shape and where it
/// comes from, the call of a layer that produced it (<see cref="Layer"/>, <see cref="NodeIndex"/>,
/// <see cref="TensorIndex"/>: Keras' <c>_keras_history</c>). <see cref="Keras.Input"/> makes the first
/// ones; calling a layer on them (<see cref="Layer.Call(KerasTensor)"/>) makes the next; a
/// <see cref="Models.Functional"/> model is the graph between some of them.
/// </summary>
public sealed class KerasTensor
{
    internal KerasTensor(Node node, long[] shape)
    {
        Node = node;
        Shape = shape;
    }

    /// <summary>The call that produced this tensor.</summary>
    internal Node Node { get; }

    /// <summary>The per-sample shape (the batch dimension left out, as everywhere in Layerwise); -1 where a size is unknown (Keras' None).</summary>
    public long[] Shape { get; }

    /// <summary>The layer whose call produced this tensor.</summary>
    public Layer Layer => Node.Layer;

    /// <summary>Which call of <see cref="Layer"/> produced it (0 for the first).</summary>
    public int NodeIndex => Node.Index;

    /// <summary>Which output of that call it is; layers here have one output, so always 0.</summary>
    public int TensorIndex => 0;

    /// <summary>The name Keras gives a symbolic tensor: its layer's name.</summary>
    public string Name => Layer.Name;

    /// <inheritdoc/>
    public override string ToString() => $"<KerasTensor shape={ShapeText.WithBatch(Shape)}, name={Name}>";
}
