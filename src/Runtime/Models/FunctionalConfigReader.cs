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

    /// <summary>
    /// What one inbound node reads, and the <c>training</c> argument of that call (null when unset).
    /// <paramref name="Arguments"/> names the tensors after the first that the call passed as separate
    /// arguments (<c>value</c>, <c>key</c>: MultiHeadAttention's <c>mha(query, value)</c>), already appended to
    /// <paramref name="Inputs"/> in the order query, value, key; <paramref name="UseCausalMask"/> is the call's
    /// <c>use_causal_mask</c> when given.
    /// </summary>
    sealed record NodeCall(List<TensorReference> Inputs, bool? Training, List<string> Arguments, bool? UseCausalMask);

    /// <summary>The tensor arguments an attention call may take after the query, in the order its inputs list them.</summary>
    static readonly string[] TensorArgumentOrder = ["value", "key"];

    /// <summary>A call's keyword arguments as read: what is replayed, and the tensors passed by name.</summary>
    sealed record CallArguments(bool? Training, bool? UseCausalMask, Dictionary<string, TensorReference> Tensors);

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
                    ApplyCallArguments(entry, call, path);
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

    /// <summary>
    /// What a call's arguments beyond its first tensor mean for the layer: tensors passed as <c>value</c>/<c>key</c>
    /// and <c>use_causal_mask</c> are MultiHeadAttention's (Attention and AdditiveAttention take a list, and
    /// <c>use_causal_mask</c>); any other layer given them is refused, since the call would compute something else.
    /// </summary>
    static void ApplyCallArguments(PendingLayer entry, NodeCall call, string path)
    {
        if (call.Arguments.Count > 0 && entry.Layer is not MultiHeadAttention)
            throw new ConfigException(path, $"layer \"{entry.Name}\" ({entry.Layer.ClassName}) is called with the tensor argument(s) " +
                                            $"{string.Join(", ", call.Arguments)}, which only MultiHeadAttention takes here.");
        if (call.UseCausalMask is not { } causal) return;
        switch (entry.Layer)
        {
            case MultiHeadAttention attention: attention.UseCausalMask = causal; break;
            case BaseDenseAttention attention: attention.UseCausalMask = causal; break;
            default:
                if (causal)
                    throw new ConfigException(path + ".use_causal_mask", $"layer \"{entry.Name}\" ({entry.Layer.ClassName}) has no causal mask; " +
                                                                         "only the attention layers take use_causal_mask.");
                break;
        }
    }

    /// <summary>A <c>[name, node, tensor]</c> reference, and the keyword arguments of a Keras 2 entry's fourth element.</summary>
    static (TensorReference Reference, CallArguments? Arguments) ReadTriple(JsonNode? node, string path)
    {
        if (node is not JsonArray array || !IsTriple(array))
            throw new ConfigException(path, $"expected [layer name, node index, tensor index]; received {ConfigValues.Describe(node)}.");
        var layer = ConfigValues.ReadString(array[0], path + "[0]");
        int nodeIndex = ConfigValues.ReadInt32(array[1], path + "[1]");
        int tensorIndex = ConfigValues.ReadInt32(array[2], path + "[2]");
        if (nodeIndex < 0 || tensorIndex < 0)
            throw new ConfigException(path, $"node and tensor indices must not be negative; received {nodeIndex} and {tensorIndex}.");
        var arguments = array.Count == 4 ? ReadKwargs(array[3], path + "[3]", keras3: false) : null;
        return (new TensorReference(layer, nodeIndex, tensorIndex, path), arguments);
    }

    /// <summary>The tensors one inbound node reads and its training argument, in either Keras 2's or Keras 3's shape.</summary>
    static NodeCall ReadNodeCall(JsonNode? node, string path)
    {
        switch (node)
        {
            case JsonArray keras2 when keras2.Count > 0:
            {
                // Keras 2 repeats the call's kwargs in every entry; the first one's are the call's. tf.keras
                // writes the arguments after the first as kwargs: mha(x, y) is [["x", 0, 0, {"value": ["y", 0, 0]}]].
                var entries = keras2.Select((item, k) => ReadTriple(item, $"{path}[{k}]")).ToList();
                var arguments = entries[0].Arguments;
                return WithTensorArguments([.. entries.Select(e => e.Reference)], arguments, [], path);
            }
            case JsonObject keras3 when keras3["args"] is JsonArray args:
            {
                var arguments = ReadKwargs(keras3["kwargs"], path + ".kwargs", keras3: true);
                List<TensorReference> inputs;
                var positional = new List<(string Name, TensorReference Reference)>();
                if (args.Count == 0 && arguments?.Tensors.Remove("query", out var query) == true)
                    inputs = [query];   // mha(query=x, value=y)
                else if (args.Count == 0)
                    throw new ConfigException(path + ".args", "expected at least one argument (a tensor or a list of tensors); received none.");
                else
                {
                    inputs = args[0] is JsonArray list
                        ? [.. list.Select((item, k) => ReadKerasTensor(item, $"{path}.args[0][{k}]"))]
                        : [ReadKerasTensor(args[0], path + ".args[0]")];
                    // Keras 3 keeps positional arguments as written: mha(x, y) is {"args": [x, y]}.
                    if (args.Count > 1 + TensorArgumentOrder.Length)
                        throw new ConfigException(path + ".args", $"expected at most {1 + TensorArgumentOrder.Length} arguments (query, value, key); received {args.Count}.");
                    for (int k = 1; k < args.Count; k++)
                        positional.Add((TensorArgumentOrder[k - 1], ReadKerasTensor(args[k], $"{path}.args[{k}]")));
                }
                return WithTensorArguments(inputs, arguments, positional, path);
            }
            default:
                throw new ConfigException(path, "expected a node: a list of [layer name, node index, tensor index, {}] (Keras 2) or " +
                                                $"{{\"args\": [...], \"kwargs\": {{}}}} (Keras 3); received {ConfigValues.Describe(node)}.");
        }
    }

    /// <summary>Appends the tensors passed as value/key (positionally or by name) to the inputs, in the order query, value, key.</summary>
    static NodeCall WithTensorArguments(List<TensorReference> inputs, CallArguments? arguments, List<(string Name, TensorReference Reference)> positional, string path)
    {
        var byName = new Dictionary<string, TensorReference>(StringComparer.Ordinal);
        foreach (var (name, reference) in positional) byName[name] = reference;
        foreach (var (name, reference) in arguments?.Tensors ?? [])
            if (!byName.TryAdd(name, reference))
                throw new ConfigException(path, $"the call passes \"{name}\" twice (by position and by name).");
        if (byName.Count > 0 && inputs.Count != 1)
            throw new ConfigException(path, $"the call passes a list of {inputs.Count} tensors and separate {string.Join(", ", byName.Keys)} tensors; expected one query tensor.");
        if (byName.ContainsKey("key") && !byName.ContainsKey("value"))
            throw new ConfigException(path, "the call passes a key tensor but no value tensor; MultiHeadAttention needs a value.");
        var names = new List<string>();
        foreach (var name in TensorArgumentOrder)
        {
            if (!byName.TryGetValue(name, out var reference)) continue;
            inputs.Add(reference);
            names.Add(name);
        }
        return new NodeCall(inputs, arguments?.Training, names, arguments?.UseCausalMask);
    }

    static TensorReference ReadKerasTensor(JsonNode? node, string path)
    {
        if (node is JsonObject obj && obj["class_name"] is JsonValue c && c.TryGetValue<string>(out var className) && className == "__keras_tensor__"
            && obj["config"]?["keras_history"] is { } history)
            return ReadTriple(history, path + ".config.keras_history").Reference;
        throw new ConfigException(path, $"expected a {{\"class_name\": \"__keras_tensor__\", \"config\": {{\"keras_history\": [...]}}}} object; received {ConfigValues.Describe(node)}.");
    }

    /// <summary>
    /// A call's keyword arguments: <c>training</c> (true/false/null) is replayed; <c>value</c>/<c>key</c>/<c>query</c>
    /// tensors and <c>use_causal_mask</c> go to the attention layer; <c>return_attention_scores: false</c> and null
    /// masks (what Keras writes for an unmasked call) are accepted; any other argument changes what the call
    /// computes and is refused.
    /// </summary>
    static CallArguments? ReadKwargs(JsonNode? kwargs, string path, bool keras3)
    {
        if (kwargs is null) return null;
        if (kwargs is not JsonObject obj)
            throw new ConfigException(path, $"expected an object of keyword arguments; received {ConfigValues.Describe(kwargs)}.");
        bool? training = null, useCausalMask = null;
        var tensors = new Dictionary<string, TensorReference>(StringComparer.Ordinal);
        foreach (var (key, value) in obj)
        {
            if (key == "training")
                training = value is null ? null : ConfigValues.ReadBoolean(value, $"{path}.training");
            else if (key is "value" or "key" or "query" && value is not null)
                tensors[key] = keras3 ? ReadKerasTensor(value, $"{path}.{key}") : ReadTriple(value, $"{path}.{key}").Reference;
            else if (key == "use_causal_mask" && value is not null)
                useCausalMask = ConfigValues.ReadBoolean(value, $"{path}.use_causal_mask");
            else if (!(key is "mask" or "attention_mask" or "query_mask" or "value_mask" or "key_mask" && value is null)
                     && !(key == "return_attention_scores" && value is JsonValue v && v.TryGetValue<bool>(out var scores) && !scores))
                throw new ConfigException($"{path}.{key}", $"layer calls with this keyword argument are not supported; received {key}={ConfigValues.Describe(value)} " +
                                                           "(supported: training = true/false/null, mask = null; for attention layers value, key, " +
                                                           "use_causal_mask and return_attention_scores = false).");
        }
        if (!keras3 && tensors.ContainsKey("query"))
            throw new ConfigException(path + ".query", "a Keras 2 node passes its first tensor as the entry itself, not as a \"query\" argument.");
        return new CallArguments(training, useCausalMask, tensors);
    }
}
