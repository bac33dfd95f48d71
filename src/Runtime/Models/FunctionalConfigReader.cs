using System.Text.Json.Nodes;
using Layerwise.Layers;
using Layerwise.Serialization;

namespace Layerwise.Models;

/// <summary>
/// Rebuilds a functional model from its config as Keras' <c>functional_from_config</c> does: every
/// layer is created first (through the registry only), then its <c>inbound_nodes</c> are replayed,
/// pass after pass over the layers in config order, each node as soon as the nodes it reads exist
/// (a layer shared at different depths needs several passes). A pass that makes no progress means a
/// cycle or a reference to a node that never exists: an error, never a hang. Both node shapes are
/// read: Keras 2's <c>[[name, node, tensor, {kwargs}], ...]</c> and Keras 3's
/// <c>{"args": [...], "kwargs": {...}}</c> with <c>__keras_tensor__</c> objects. Of a call's keyword
/// arguments, <c>training</c> (true, false or null) is replayed (<see cref="Layer.Call(KerasTensor, bool?)"/>)
/// and <c>mask: null</c> is accepted; any other changes what the call computes and is refused.
/// </summary>
internal static class FunctionalConfigReader
{
    const string Root = "Functional.config";

    sealed record TensorReference(string Layer, int Node, int Tensor, string Path);

    /// <summary>What one inbound node reads, and the <c>training</c> argument of that call (null when unset).</summary>
    sealed record NodeCall(List<TensorReference> Inputs, bool? Training);

    sealed class PendingLayer(string name, Layer layer, List<(JsonNode? Node, string Path)> nodes)
    {
        public string Name { get; } = name;
        public Layer Layer { get; } = layer;
        public List<(JsonNode? Node, string Path)> Nodes { get; } = nodes;
    }

    public static Functional Read(JsonObject config)
    {
        var name = ConfigValues.ReadNullableString(config["name"], Root + ".name");
        bool trainable = config["trainable"] is null || ConfigValues.ReadBoolean(config["trainable"], Root + ".trainable");
        if (config["layers"] is not JsonArray layerConfigs)
            throw new ConfigException(Root + ".layers", $"expected the list of the model's layers; received {ConfigValues.Describe(config["layers"])}.");

        var created = new Dictionary<string, Layer>(StringComparer.Ordinal);
        var pending = new List<PendingLayer>();
        for (int i = 0; i < layerConfigs.Count; i++)
        {
            var path = $"{Root}.layers[{i}]";
            if (layerConfigs[i] is not JsonObject entry)
                throw new ConfigException(path, $"expected a layer {{\"class_name\", \"config\", \"name\", \"inbound_nodes\"}}; received {ConfigValues.Describe(layerConfigs[i])}.");
            var layerName = ConfigValues.ReadNullableString(entry["name"], path + ".name")
                            ?? ConfigValues.ReadNullableString(entry["config"]?["name"], path + ".config.name")
                            ?? throw new ConfigException(path + ".name", "expected the layer's name (inbound nodes refer to layers by name); the entry has none.");
            if (created.ContainsKey(layerName))
                throw new ConfigException(path + ".name", $"the layer name \"{layerName}\" appears twice; names must be unique in a functional model.");
            var layer = LayerRegistry.Deserialize(entry, path);
            created[layerName] = layer;
            var nodes = entry["inbound_nodes"] switch
            {
                null => [],
                JsonArray array => array.Select((n, k) => (n, $"{path}.inbound_nodes[{k}]")).ToList(),
                var other => throw new ConfigException(path + ".inbound_nodes", $"expected a list of nodes; received {ConfigValues.Describe(other)}."),
            };
            pending.Add(new PendingLayer(layerName, layer, nodes));
        }

        var firstNodes = FirstNodeIndices(pending, created, config["output_layers"]);
        ReplayNodes(pending, created, firstNodes);
        var inputs = ReadTensors(config["input_layers"], Root + ".input_layers", created, firstNodes);
        var outputs = ReadTensors(config["output_layers"], Root + ".output_layers", created, firstNodes);
        foreach (var (input, k) in inputs.Select((t, k) => (t, k)))
            if (input.Layer is not InputLayer)
                throw new ConfigException($"{Root}.input_layers[{k}]", $"expected an InputLayer; \"{input.Layer.Name}\" is a {input.Layer.ClassName}.");
        try
        {
            return new Functional(inputs, outputs, name, trainable);
        }
        catch (ArgumentException e)
        {
            throw new ConfigException(Root, $"the graph it describes is not a valid model: {e.Message}", e);
        }
    }

    /// <summary>
    /// The node index each nested model's first call has in this config: 1 in files Keras wrote (a nested
    /// functional model has its own graph as node 0; see <see cref="Formats.NestedModelNodes"/>), 0 in files of
    /// earlier Layerwise versions. Keras never refers to that node 0, so a nested model whose references all
    /// start from 1 counts from 1. Other layers count from 0.
    /// </summary>
    static Dictionary<string, int> FirstNodeIndices(List<PendingLayer> pending, Dictionary<string, Layer> created, JsonNode? outputLayers)
    {
        var lowest = new Dictionary<string, int>(StringComparer.Ordinal);
        void See(TensorReference r)
        {
            if (created.TryGetValue(r.Layer, out var layer) && layer is Model)
                lowest[r.Layer] = Math.Min(lowest.GetValueOrDefault(r.Layer, int.MaxValue), r.Node);
        }
        foreach (var entry in pending)
            foreach (var (node, path) in entry.Nodes)
                foreach (var reference in ReadNodeCall(node, path).Inputs) See(reference);
        if (outputLayers is JsonArray outputs)
        {
            var references = IsTriple(outputs)
                ? [ReadTriple(outputs, Root + ".output_layers").Reference]
                : outputs.Select((o, k) => (o, k)).Where(p => p.o is JsonArray a && IsTriple(a)).Select(p => ReadTriple(p.o, $"{Root}.output_layers[{p.k}]").Reference);
            foreach (var reference in references) See(reference);
        }
        return lowest.Where(kv => kv.Value >= 1).ToDictionary(kv => kv.Key, _ => 1, StringComparer.Ordinal);
    }

    /// <summary>The position of a reference's node among the calls Layerwise replays.</summary>
    static int CallIndex(TensorReference reference, Dictionary<string, int> firstNodes) =>
        reference.Node - firstNodes.GetValueOrDefault(reference.Layer, 0);

    /// <summary>Calls each layer on its inbound nodes' tensors, in as many passes over the layers as the graph needs.</summary>
    static void ReplayNodes(List<PendingLayer> pending, Dictionary<string, Layer> created, Dictionary<string, int> firstNodes)
    {
        while (pending.Any(p => p.Nodes.Count > 0))
        {
            bool progress = false;
            foreach (var entry in pending)
            {
                while (entry.Nodes.Count > 0)
                {
                    var (nodeJson, path) = entry.Nodes[0];
                    var call = ReadNodeCall(nodeJson, path);
                    var tensors = TryResolve(call.Inputs, created, firstNodes);
                    if (tensors is null) break;   // an input node is not created yet: a later pass
                    try
                    {
                        entry.Layer.CallSymbolic(tensors, call.Training);
                    }
                    catch (Exception e) when (e is LayerwiseException or ArgumentException or InvalidOperationException or NotSupportedException)
                    {
                        throw new ConfigException(path, $"layer \"{entry.Name}\" ({entry.Layer.ClassName}) cannot be called on " +
                                                        $"{string.Join(", ", tensors.Select(t => t.ToString()))}: {e.Message}", e);
                    }
                    entry.Nodes.RemoveAt(0);
                    progress = true;
                }
            }
            if (progress) continue;
            var stuck = pending.First(p => p.Nodes.Count > 0);
            var (stuckNode, stuckPath) = stuck.Nodes[0];
            var missing = ReadNodeCall(stuckNode, stuckPath).Inputs.First(r => CallIndex(r, firstNodes) >= created[r.Layer].InboundNodes.Count);
            throw new ConfigException(stuckPath,
                $"layer \"{stuck.Name}\" reads node {missing.Node} of layer \"{missing.Layer}\", which is never created: the inbound_nodes form a cycle, " +
                $"or refer to a node index the config does not define (layer \"{missing.Layer}\" has {created[missing.Layer].InboundNodes.Count} node(s) that can be built).");
        }
    }

    /// <summary>The tensors a node reads, or null while one of them is not created yet; unknown layers are errors.</summary>
    static KerasTensor[]? TryResolve(List<TensorReference> references, Dictionary<string, Layer> created, Dictionary<string, int> firstNodes)
    {
        var tensors = new KerasTensor[references.Count];
        for (int i = 0; i < references.Count; i++)
        {
            var layer = Known(references[i], created);
            int call = CallIndex(references[i], firstNodes);
            if (call >= layer.InboundNodes.Count) return null;
            tensors[i] = layer.InboundNodes[call].Output;
        }
        return tensors;
    }

    static Layer Known(TensorReference reference, Dictionary<string, Layer> created)
    {
        if (!created.TryGetValue(reference.Layer, out var layer))
            throw new ConfigException(reference.Path,
                $"unknown layer \"{reference.Layer}\": expected the name of a layer listed in {Root}.layers ({string.Join(", ", created.Keys.Select(k => $"\"{k}\""))}).");
        if (reference.Tensor != 0)
            throw new ConfigException(reference.Path, $"layer \"{reference.Layer}\" has one output, so the tensor index must be 0; received {reference.Tensor}.");
        return layer;
    }

    /// <summary><c>input_layers</c>/<c>output_layers</c>: one <c>[name, node, tensor]</c> triple (Keras 3, one tensor) or a list of them.</summary>
    static List<KerasTensor> ReadTensors(JsonNode? node, string path, Dictionary<string, Layer> created, Dictionary<string, int> firstNodes)
    {
        if (node is not JsonArray array || array.Count == 0)
            throw new ConfigException(path, $"expected [layer name, node index, tensor index] or a non-empty list of those; received {ConfigValues.Describe(node)}.");
        var references = IsTriple(array) ? [ReadTriple(array, path).Reference] : array.Select((item, k) => ReadTriple(item, $"{path}[{k}]").Reference).ToList();
        var tensors = new List<KerasTensor>();
        foreach (var reference in references)
        {
            var layer = Known(reference, created);
            int call = CallIndex(reference, firstNodes);
            if (call >= layer.InboundNodes.Count)
                throw new ConfigException(reference.Path, $"layer \"{reference.Layer}\" has {layer.InboundNodes.Count} node(s) in this model; node {reference.Node} does not exist.");
            tensors.Add(layer.InboundNodes[call].Output);
        }
        return tensors;
    }

    static bool IsTriple(JsonArray array) => array.Count is 3 or 4 && array[0] is JsonValue v && v.TryGetValue<string>(out _);

    /// <summary>A <c>[name, node, tensor]</c> reference, and the <c>training</c> argument of a Keras 2 entry's fourth element (its call kwargs).</summary>
    static (TensorReference Reference, bool? Training) ReadTriple(JsonNode? node, string path)
    {
        if (node is not JsonArray array || !IsTriple(array))
            throw new ConfigException(path, $"expected [layer name, node index, tensor index]; received {ConfigValues.Describe(node)}.");
        var layer = ConfigValues.ReadString(array[0], path + "[0]");
        int nodeIndex = ConfigValues.ReadInt32(array[1], path + "[1]");
        int tensorIndex = ConfigValues.ReadInt32(array[2], path + "[2]");
        if (nodeIndex < 0 || tensorIndex < 0)
            throw new ConfigException(path, $"node and tensor indices must not be negative; received {nodeIndex} and {tensorIndex}.");
        bool? training = array.Count == 4 ? ReadKwargs(array[3], path + "[3]") : null;
        return (new TensorReference(layer, nodeIndex, tensorIndex, path), training);
    }

    /// <summary>The tensors one inbound node reads and its training argument, in either Keras 2's or Keras 3's shape.</summary>
    static NodeCall ReadNodeCall(JsonNode? node, string path)
    {
        switch (node)
        {
            case JsonArray keras2 when keras2.Count > 0:
                // Keras 2 repeats the call's kwargs in every entry; the first one's are the call's.
                var entries = keras2.Select((item, k) => ReadTriple(item, $"{path}[{k}]")).ToList();
                return new NodeCall([.. entries.Select(e => e.Reference)], entries[0].Training);
            case JsonObject keras3 when keras3["args"] is JsonArray args:
                var training = ReadKwargs(keras3["kwargs"], path + ".kwargs");
                if (args.Count != 1)
                    throw new ConfigException(path + ".args", $"expected one argument (a tensor or a list of tensors); received {args.Count}.");
                List<TensorReference> inputs = args[0] is JsonArray list
                    ? [.. list.Select((item, k) => ReadKerasTensor(item, $"{path}.args[0][{k}]"))]
                    : [ReadKerasTensor(args[0], path + ".args[0]")];
                return new NodeCall(inputs, training);
            default:
                throw new ConfigException(path, "expected a node: a list of [layer name, node index, tensor index, {}] (Keras 2) or " +
                                                $"{{\"args\": [...], \"kwargs\": {{}}}} (Keras 3); received {ConfigValues.Describe(node)}.");
        }
    }

    static TensorReference ReadKerasTensor(JsonNode? node, string path)
    {
        if (node is JsonObject obj && obj["class_name"] is JsonValue c && c.TryGetValue<string>(out var className) && className == "__keras_tensor__"
            && obj["config"]?["keras_history"] is { } history)
            return ReadTriple(history, path + ".config.keras_history").Reference;
        throw new ConfigException(path, $"expected a {{\"class_name\": \"__keras_tensor__\", \"config\": {{\"keras_history\": [...]}}}} object; received {ConfigValues.Describe(node)}.");
    }

    /// <summary>
    /// A call's keyword arguments: <c>training</c> (true/false/null) is returned to be replayed, <c>mask: null</c>
    /// (what Keras 3 writes for an unmasked call) is accepted; any other argument changes what the call computes and is refused.
    /// </summary>
    static bool? ReadKwargs(JsonNode? kwargs, string path)
    {
        if (kwargs is null) return null;
        if (kwargs is not JsonObject obj)
            throw new ConfigException(path, $"expected an object of keyword arguments; received {ConfigValues.Describe(kwargs)}.");
        bool? training = null;
        foreach (var (key, value) in obj)
        {
            if (key == "training")
                training = value is null ? null : ConfigValues.ReadBoolean(value, $"{path}.training");
            else if (!(key == "mask" && value is null))
                throw new ConfigException($"{path}.{key}", $"layer calls with this keyword argument are not supported; received {key}={ConfigValues.Describe(value)} " +
                                                           "(supported: training = true/false/null, mask = null).");
        }
        return training;
    }
}
