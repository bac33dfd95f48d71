using Layerwise.Layers;

namespace Layerwise.Models;

public partial class Functional
{
    /// <summary>
    /// Keras 2's summary of a functional model: a plain stack (one node per depth, one input each, no
    /// shared layer) prints as a Sequential does; any other graph gets the "Connected to" column, each
    /// layer listing the tensors its calls read as <c>layer[node][tensor]</c> in a Python list. An
    /// InputLayer's shape prints as a list, <c>[(None, 784)]</c>, and a layer called with different
    /// shapes as <c>multiple</c>, as tf.keras 2 prints them.
    /// </summary>
    private protected override SummaryTable SummaryRows(long[] inputShape)
    {
        if (graph.IsSequentialLike)
            return StackTable([.. layers.Select(l => new[] { TypeText(l), OutputShapeText(l), Count(l.CountParams()) })]);
        var rows = layers.Select(l => new[] { TypeText(l), OutputShapeText(l), Count(l.CountParams()), ConnectionsText(l) }).ToList();
        return new SummaryTable(["Layer (type)", "Output Shape", "Param #", "Connected to"], [.33, .55, .67, 1], 98, rows);
    }

    static string TypeText(Layer layer) => $"{layer.Name} ({layer.ClassName})";

    string OutputShapeText(Layer layer)
    {
        var shapes = NodesOf(layer).Select(n => ShapeText.WithBatch(n.Output.Shape)).Distinct().ToList();
        if (shapes.Count != 1) return "multiple";
        return layer is InputLayer ? $"[{shapes[0]}]" : shapes[0];
    }

    string ConnectionsText(Layer layer) =>
        "[" + string.Join(", ", NodesOf(layer).SelectMany(n => n.Inputs).Select(t => $"'{t.Layer.Name}[{t.NodeIndex}][{t.TensorIndex}]'")) + "]";

    IEnumerable<Node> NodesOf(Layer layer) => layer.InboundNodes.Where(graph.Nodes.Contains);
}
