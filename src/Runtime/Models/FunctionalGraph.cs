using Layerwise.Layers;

namespace Layerwise.Models;

/// <summary>
/// The graph between a functional model's inputs and outputs, mapped as Keras'
/// <c>_map_graph_network</c> maps it: the nodes reachable from the outputs (a depth-first walk that
/// also rejects cycles), each node's depth (0 at the outputs, more towards the inputs, a shared
/// layer at the largest depth of its nodes), the layers ordered by decreasing depth and then by
/// the order the walk first met them (Keras' <c>model.layers</c> order, which configs, weight files
/// and checkpoints follow), and a check that every node can be computed from the inputs.
/// </summary>
internal sealed class FunctionalGraph
{
    FunctionalGraph(List<Node> executionOrder, List<Layer> layers, HashSet<Node> nodes, Dictionary<Node, int> depths)
    {
        ExecutionOrder = executionOrder;
        Layers = layers;
        Nodes = nodes;
        Depths = depths;
    }

    /// <summary>Every node of the model, inputs first: a node comes after all the nodes it reads.</summary>
    public IReadOnlyList<Node> ExecutionOrder { get; }

    /// <summary>The model's layers in Keras' order (input layers included).</summary>
    public IReadOnlyList<Layer> Layers { get; }

    /// <summary>The nodes that belong to the model (a layer may have nodes in other models too).</summary>
    public IReadOnlySet<Node> Nodes { get; }

    Dictionary<Node, int> Depths { get; }

    /// <summary>
    /// The index of <paramref name="node"/> among its layer's nodes that belong to this model: what
    /// configs write (Keras' <c>node_conversion_map</c>), so a model made of layers that were also
    /// called elsewhere still writes 0, 1, ...
    /// </summary>
    public int ConfigIndex(Node node) => node.Layer.InboundNodes.Take(node.Index).Count(Nodes.Contains);

    /// <summary>
    /// Keras' test for printing a functional model as a plain stack: one node per depth, each with at
    /// most one input, and no layer called twice.
    /// </summary>
    public bool IsSequentialLike =>
        Depths.GroupBy(p => p.Value).All(g => g.Count() == 1 && g.First().Key.Inputs.Count <= 1)
        && Layers.All(l => l.InboundNodes.Count(Nodes.Contains) <= 1);

    public static FunctionalGraph Map(IReadOnlyList<KerasTensor> inputs, IReadOnlyList<KerasTensor> outputs, string modelName)
    {
        var ordered = new List<Node>();
        var layerIndices = new Dictionary<Layer, int>(ReferenceEqualityComparer.Instance);
        var finished = new HashSet<Node>();
        var inProgress = new HashSet<Node>();
        foreach (var output in outputs) Walk(output.Node, ordered, layerIndices, finished, inProgress);

        var nodeDepths = new Dictionary<Node, int>();
        var layerDepths = new Dictionary<Layer, int>(ReferenceEqualityComparer.Instance);
        for (int i = ordered.Count - 1; i >= 0; i--)
        {
            var node = ordered[i];
            int depth = Math.Max(nodeDepths.GetValueOrDefault(node), layerDepths.GetValueOrDefault(node.Layer));
            layerDepths[node.Layer] = depth;
            nodeDepths[node] = depth;
            foreach (var input in node.Inputs)
                nodeDepths[input.Node] = Math.Max(depth + 1, nodeDepths.GetValueOrDefault(input.Node));
        }
        // Inputs the outputs do not depend on still belong to the model (Keras keeps them, at depth 0).
        foreach (var input in inputs)
        {
            if (layerDepths.ContainsKey(input.Layer)) continue;
            layerDepths[input.Layer] = 0;
            layerIndices[input.Layer] = -1;
            nodeDepths[input.Node] = 0;
            ordered.Insert(0, input.Node);
        }

        var layers = layerDepths.OrderByDescending(p => p.Value).ThenBy(p => layerIndices[p.Key]).Select(p => p.Key).ToList();
        // A stable sort of the walk's order: a node's inputs have larger depths, so they come first.
        var executionOrder = ordered.OrderByDescending(n => nodeDepths[n]).ToList();
        CheckComputable(inputs, executionOrder);
        var duplicate = layers.GroupBy(l => l.Name).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
            throw new ArgumentException($"The name \"{duplicate.Key}\" is used {duplicate.Count()} times in model \"{modelName}\". All layer names should be unique " +
                                        "(configs refer to layers by name).");
        return new FunctionalGraph(executionOrder, layers, [.. nodeDepths.Keys], nodeDepths);
    }

    static void Walk(Node node, List<Node> ordered, Dictionary<Layer, int> layerIndices, HashSet<Node> finished, HashSet<Node> inProgress)
    {
        if (finished.Contains(node)) return;
        if (!inProgress.Add(node))
            throw new ArgumentException($"The tensor {node.Output} at layer \"{node.Layer.Name}\" is part of a cycle.");
        layerIndices.TryAdd(node.Layer, layerIndices.Count);
        foreach (var input in node.Inputs) Walk(input.Node, ordered, layerIndices, finished, inProgress);
        finished.Add(node);
        inProgress.Remove(node);
        ordered.Add(node);
    }

    /// <summary>Keras' "Graph disconnected" check: each node's inputs are model inputs or outputs of earlier nodes.</summary>
    static void CheckComputable(IReadOnlyList<KerasTensor> inputs, List<Node> executionOrder)
    {
        var computable = new HashSet<KerasTensor>(inputs, ReferenceEqualityComparer.Instance);
        var accessed = new List<string>();
        foreach (var node in executionOrder)
        {
            if (node.IsInput) continue;
            foreach (var input in node.Inputs)
                if (!computable.Contains(input))
                    throw new ArgumentException(
                        $"Graph disconnected: cannot obtain value for tensor {input} at layer \"{node.Layer.Name}\". " +
                        $"The following previous layers were accessed without issue: [{string.Join(", ", accessed.Select(a => $"'{a}'"))}]. " +
                        "Pass every Keras.Input the outputs depend on as an input of the model.");
            computable.Add(node.Output);
            accessed.Add(node.Layer.Name);
        }
    }
}
