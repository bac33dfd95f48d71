using Layerwise.Layers;
using Layerwise.Models;
using Layerwise.Training.Optimizers;

namespace Layerwise.Formats.Checkpoint;

/// <summary>
/// What TensorFlow 2 saves for a Keras model, and under which keys: the object graph of
/// <c>model.save_weights(prefix)</c>, mirrored from a real TF 2.x checkpoint of the tutorial's model.
/// <list type="bullet">
/// <item>root (the model) → itself as <c>root</c>, <c>layer_with_weights-k</c> (k-th layer that has weights) and <c>layer-i</c>
/// (i-th layer), both naming the same node; a layer → its weights by name (<c>kernel</c>, <c>bias</c>),
/// its sub-layers held in fields by the field's Keras name (<c>cell</c>, as TensorFlow names them by
/// attribute), other sub-layers by their layer names;</item>
/// <item>weight values under <c>layer_with_weights-0/kernel/.ATTRIBUTES/VARIABLE_VALUE</c>;</item>
/// <item>root → <c>optimizer</c> when compiled; once it has stepped, its <c>iter</c> (int64) and
/// hyperparameters (float32) as children, and one slot variable per (weight, slot):
/// <c>layer_with_weights-0/kernel/.OPTIMIZER_SLOT/optimizer/m/.ATTRIBUTES/VARIABLE_VALUE</c>.</item>
/// </list>
/// Slot and hyperparameter names follow tf.keras 2 (OptimizerV2): Adam m/v, SGD momentum,
/// RMSprop rms/momentum/mg, ... (<see cref="OptimizerSlotNames.Keras2"/>).
/// </summary>
internal sealed class KerasCheckpointLayout
{
    public const string ObjectGraphKey = "_CHECKPOINTABLE_OBJECT_GRAPH";
    const string ValueSuffix = "/.ATTRIBUTES/VARIABLE_VALUE";

    public List<WeightItem> Weights { get; } = [];
    public List<SlotItem> Slots { get; } = [];
    public List<HyperItem> Hypers { get; } = [];
    public TrackableObjectGraph Graph { get; } = new();

    /// <summary>A weight of a layer: <see cref="GraphPath"/> is the chain of child names from the root.</summary>
    public sealed record WeightItem(string Key, string[] GraphPath, Variable Variable, int NodeId);

    /// <summary>An optimizer slot of a trainable weight; <see cref="Exists"/> when the optimizer has created it.</summary>
    public sealed record SlotItem(string Key, WeightItem Weight, string SlotName, string TfSlotName, bool Exists);

    /// <summary>An optimizer scalar: <c>iter</c> (int64) or a hyperparameter (float32).</summary>
    public sealed record HyperItem(string Key, string Name, double Value, bool IsIteration);

    public static KerasCheckpointLayout For(Model model, bool includeOptimizerState)
    {
        var layout = new KerasCheckpointLayout();
        var graph = layout.Graph;
        var root = new TrackableNode { HasCheckpointValues = true };
        graph.Nodes.Add(root);
        // Breadth-first, as TensorFlow numbers nodes: children of the root first, then theirs.
        var pending = new Queue<(Layer Layer, int Node, string[] Path)>();
        AddModelLayers(graph, model, 0, [], pending);
        int optimizerNode = -1;
        var optimizer = includeOptimizerState ? model.Optimizer : null;
        if (optimizer is not null)
        {
            optimizerNode = graph.Nodes.Count;
            graph.Nodes.Add(new TrackableNode());
            root.Children.Add(new TrackableChild(optimizerNode, "optimizer"));
        }
        // tf.keras models track themselves as "root" (TF 2.x writes this edge; it is harmless to readers).
        root.Children.Add(new TrackableChild(0, "root"));
        while (pending.Count > 0)
        {
            var (layer, node, path) = pending.Dequeue();
            foreach (var variable in OwnWeights(layer))
            {
                int id = graph.Nodes.Count;
                string[] variablePath = [.. path, variable.Name];
                string key = string.Join('/', variablePath) + ValueSuffix;
                graph.Nodes.Add(VariableNode(variable.Path, key));
                graph.Nodes[node].Children.Add(new TrackableChild(id, variable.Name));
                layout.Weights.Add(new WeightItem(key, variablePath, variable, id));
            }
            // A model nested as a layer tracks its layers as the root does (Functional's _layer_checkpoint_dependencies).
            if (layer is Sequential or Functional)
            {
                AddModelLayers(graph, (Model)layer, node, path, pending);
                continue;
            }
            // TensorFlow names a sub-layer held in an attribute by that attribute (an LSTM's "cell"); others by their layer name.
            var fieldNames = new Dictionary<Layer, string>(ReferenceEqualityComparer.Instance);
            foreach (var field in layer.TrackedFields)
                if (field.Kind == TrackedFieldKind.Layer && field.Layer is { } held) fieldNames.TryAdd(held, layer.CheckpointChildName(field));
            foreach (var sub in layer.SubLayers)
            {
                int id = graph.Nodes.Count;
                var childName = fieldNames.TryGetValue(sub, out var fieldName) ? fieldName : sub.Name;
                graph.Nodes.Add(new TrackableNode { HasCheckpointValues = sub.Weights.Count > 0 });
                graph.Nodes[node].Children.Add(new TrackableChild(id, childName));
                pending.Enqueue((sub, id, [.. path, childName]));
            }
        }
        if (optimizer is not null && (optimizer.Iterations > 0 || optimizer.SlotVariables.Count > 0))
            layout.AddOptimizer(optimizer, optimizerNode);
        return layout;
    }

    /// <summary>A model's layers as children of its node: <c>layer_with_weights-k</c> (k-th layer with weights) and <c>layer-i</c>, both naming the same node.</summary>
    static void AddModelLayers(TrackableObjectGraph graph, Model model, int modelNode, string[] path, Queue<(Layer, int, string[])> pending)
    {
        int withWeights = 0;
        for (int i = 0; i < model.Layers.Count; i++)
        {
            var layer = model.Layers[i];
            int node = graph.Nodes.Count;
            graph.Nodes.Add(new TrackableNode { HasCheckpointValues = layer.Weights.Count > 0 });
            string name = layer.Weights.Count > 0 ? $"layer_with_weights-{withWeights++}" : $"layer-{i}";
            if (layer.Weights.Count > 0) graph.Nodes[modelNode].Children.Add(new TrackableChild(node, name));
            graph.Nodes[modelNode].Children.Add(new TrackableChild(node, $"layer-{i}"));
            pending.Enqueue((layer, node, [.. path, name]));
        }
    }

    void AddOptimizer(Optimizer optimizer, int optimizerNode)
    {
        var node = Graph.Nodes[optimizerNode];
        node.HasCheckpointValues = true;
        foreach (var (name, value, isIteration) in Hyperparameters(optimizer))
        {
            int id = Graph.Nodes.Count;
            string key = $"optimizer/{name}{ValueSuffix}";
            Graph.Nodes.Add(VariableNode($"{optimizer.ClassName}/{name}", key));
            node.Children.Add(new TrackableChild(id, name));
            Hypers.Add(new HyperItem(key, name, value, isIteration));
        }
        var withSlots = new HashSet<Variable>(optimizer.SlotVariables, ReferenceEqualityComparer.Instance);
        // Slot-name major, variables in node order: the order TensorFlow numbers slot nodes in.
        foreach (var slot in optimizer.SlotNames)
        {
            foreach (var weight in Weights.Where(w => w.Variable.Trainable))
            {
                string tfName = OptimizerSlotNames.Keras2(optimizer, slot);
                string key = $"{string.Join('/', weight.GraphPath)}/.OPTIMIZER_SLOT/optimizer/{tfName}{ValueSuffix}";
                bool exists = withSlots.Contains(weight.Variable);
                Slots.Add(new SlotItem(key, weight, slot, tfName, exists));
                if (!exists) continue;
                int id = Graph.Nodes.Count;
                Graph.Nodes.Add(VariableNode($"{optimizer.ClassName}/{weight.Variable.Path}/{tfName}", key));
                node.SlotVariables.Add(new SlotVariableReference(weight.NodeId, tfName, id));
            }
        }
    }

    static TrackableNode VariableNode(string fullName, string key)
    {
        var node = new TrackableNode { HasCheckpointValues = true };
        node.Attributes.Add(new TrackableAttribute("VARIABLE_VALUE", fullName, key));
        return node;
    }

    /// <summary>A layer's own weights (not those of its sub-layers), in creation order.</summary>
    static IEnumerable<Variable> OwnWeights(Layer layer)
    {
        var fromSubLayers = new HashSet<Variable>(layer.SubLayers.SelectMany(s => s.Weights), ReferenceEqualityComparer.Instance);
        return layer.Weights.Where(w => !fromSubLayers.Contains(w));
    }

    /// <summary>What tf.keras 2 saves beside the slots: <c>iter</c>, then the hyperparameters.</summary>
    static IEnumerable<(string Name, double Value, bool IsIteration)> Hyperparameters(Optimizer optimizer)
    {
        // OptimizerV2 creates iter, then its hyperparameters in the order its constructor sets them.
        yield return ("iter", optimizer.Iterations, true);
        yield return ("learning_rate", optimizer.LearningRate, false);
        yield return ("decay", 0.0, false);
        switch (optimizer)
        {
            case Adam adam:
                yield return ("beta_1", adam.Beta1, false);
                yield return ("beta_2", adam.Beta2, false);
                break;
            case Adadelta adadelta:
                yield return ("rho", adadelta.Rho, false);
                break;
            case Adamax adamax:
                yield return ("beta_1", adamax.Beta1, false);
                yield return ("beta_2", adamax.Beta2, false);
                break;
            case Nadam nadam:
                yield return ("beta_1", nadam.Beta1, false);
                yield return ("beta_2", nadam.Beta2, false);
                // A non-slot weight of tf.keras 2's Nadam; recomputed from the step when read.
                yield return ("momentum_cache", nadam.MomentumScheduleProduct(optimizer.Iterations), false);
                break;
            case Ftrl ftrl:
                yield return ("learning_rate_power", ftrl.LearningRatePower, false);
                yield return ("l1_regularization_strength", ftrl.L1RegularizationStrength, false);
                yield return ("l2_regularization_strength", ftrl.L2RegularizationStrength, false);
                yield return ("beta", ftrl.Beta, false);
                break;
            case SGD sgd:
                yield return ("momentum", sgd.Momentum, false);
                break;
            case RMSprop rms:
                yield return ("rho", rms.Rho, false);
                yield return ("momentum", rms.Momentum, false);
                break;
        }
    }
}
