using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using Layerwise.Layers;
using Layerwise.Serialization;

namespace Layerwise.Models;

/// <summary>Which Keras version's shape <see cref="Functional.GetConfig(FunctionalConfigForm)"/> writes.</summary>
public enum FunctionalConfigForm
{
    /// <summary>
    /// Keras 3 (.keras archives, directories): <c>inbound_nodes</c> entries are
    /// <c>{"args": [...], "kwargs": {}}</c> holding <c>__keras_tensor__</c> objects; a single
    /// input or output is written as one <c>[name, node, tensor]</c> triple.
    /// </summary>
    Keras3,

    /// <summary>
    /// Keras 2 / tf.keras 2.x (.h5 files): <c>inbound_nodes</c> entries are lists of
    /// <c>[name, node, tensor, {}]</c>; inputs and outputs are always lists of triples; an
    /// InputLayer's shape is <c>batch_input_shape</c>, the key tf.keras 2 reads.
    /// </summary>
    Keras2,
}

public partial class Functional
{
    const string FunctionalModule = "keras.src.models.functional";

    // Hand-written, since FromConfig is: the generator registers only types whose FromConfig it writes.
    static readonly LayerRegistration FunctionalRegistration = new("Layerwise>Functional", "Functional", FunctionalModule, static config => FromConfig(config));

#pragma warning disable CA2255 // The registry must know Keras' built-in classes before any file is read, as for generated registrations.
    [ModuleInitializer]
    internal static void RegisterFunctional() => LayerRegistry.Register(FunctionalRegistration);
#pragma warning restore CA2255

    /// <inheritdoc/>
    public override LayerRegistration? Registration => FunctionalRegistration;

    /// <summary>
    /// The form of the outermost config being written: a functional model nested in another model is
    /// serialized through the registry (which calls <see cref="GetConfig()"/>), yet must take the outer
    /// file's form (a Keras 2 .h5 holds Keras 2 configs all the way down).
    /// </summary>
    [ThreadStatic] static FunctionalConfigForm? enclosingForm;

    /// <summary>Runs <paramref name="serialize"/> with nested functional configs written in <paramref name="form"/>.</summary>
    internal static T InConfigForm<T>(FunctionalConfigForm form, Func<T> serialize)
    {
        var outer = enclosingForm;
        enclosingForm = form;
        try { return serialize(); }
        finally { enclosingForm = outer; }
    }

    /// <summary>The config in Keras 3's shape (<see cref="FunctionalConfigForm.Keras3"/>), or in the enclosing config's when nested.</summary>
    public override JsonObject GetConfig() => GetConfig(enclosingForm ?? FunctionalConfigForm.Keras3);

    /// <summary>
    /// Keras' functional config: <c>name</c>, <c>trainable</c>, <c>layers</c> (each layer serialized, plus its
    /// <c>name</c> and the <c>inbound_nodes</c> it was called on in this model), <c>input_layers</c> and
    /// <c>output_layers</c> (<c>[layer name, node index, tensor index]</c>), in the shape of
    /// <paramref name="form"/>. Node indices count only the nodes of this model, as Keras'.
    /// </summary>
    public JsonObject GetConfig(FunctionalConfigForm form) => InConfigForm(form, () => WriteConfig(form));

    JsonObject WriteConfig(FunctionalConfigForm form)
    {
        var layerConfigs = new JsonArray();
        foreach (var layer in layers)
        {
            var entry = LayerRegistry.Serialize(layer);
            if (form == FunctionalConfigForm.Keras2 && layer is InputLayer && entry["config"] is JsonObject inputConfig
                && inputConfig["batch_shape"] is { } batchShape)
            {
                inputConfig.Remove("batch_shape");
                inputConfig["batch_input_shape"] = batchShape;
            }
            entry["name"] = layer.Name;
            var nodes = new JsonArray();
            foreach (var node in layer.InboundNodes.Where(n => graph.Nodes.Contains(n) && !n.IsInput))
                nodes.Add(form == FunctionalConfigForm.Keras2 ? (JsonNode)Keras2Node(node) : Keras3Node(node));
            entry["inbound_nodes"] = nodes;
            layerConfigs.Add((JsonNode)entry);
        }
        return new JsonObject
        {
            ["name"] = Name,
            ["trainable"] = Trainable,
            ["layers"] = layerConfigs,
            ["input_layers"] = TensorReferences(inputs, form),
            ["output_layers"] = TensorReferences(outputs, form),
        };
    }

    /// <summary>Creates the model a functional config describes (Keras 2 or 3 shape); see <see cref="FunctionalConfigReader"/>.</summary>
    /// <exception cref="ConfigException">The config is malformed, names an unknown layer, or its graph cannot be built.</exception>
    public static Functional FromConfig(JsonObject config) => FunctionalConfigReader.Read(config);

    JsonArray Reference(KerasTensor tensor) => [tensor.Layer.Name, graph.ConfigIndex(tensor.Node), tensor.TensorIndex];

    JsonNode TensorReferences(KerasTensor[] tensors, FunctionalConfigForm form) =>
        form == FunctionalConfigForm.Keras3 && tensors.Length == 1
            ? Reference(tensors[0])
            : new JsonArray([.. tensors.Select(JsonNode (t) => Reference(t))]);

    JsonArray Keras2Node(Node node)
    {
        if (IsSeparateArgumentsCall(node))
        {
            // tf.keras writes the arguments after the query as kwargs of the one entry: mha(q, v) is
            // [["q", 0, 0, {"value": ["v", 0, 0]}]] (Keras' Node.serialize).
            var kwargs = CallKwargs(node);
            kwargs["value"] = Reference(node.Inputs[1]);
            if (node.Inputs.Count > 2) kwargs["key"] = Reference(node.Inputs[2]);
            return [new JsonArray(node.Inputs[0].Layer.Name, graph.ConfigIndex(node.Inputs[0].Node), node.Inputs[0].TensorIndex, kwargs)];
        }
        return new([.. node.Inputs.Select(JsonNode (t) => new JsonArray(t.Layer.Name, graph.ConfigIndex(t.Node), t.TensorIndex, CallKwargs(node)))]);
    }

    /// <summary>The call's keyword arguments as Keras writes them: <c>{"training": false}</c> when it was fixed, else <c>{}</c>.</summary>
    static JsonObject CallKwargs(Node node) => node.Training is { } training ? new JsonObject { ["training"] = training } : [];

    /// <summary>
    /// Whether Keras calls this layer with its inputs as separate arguments (MultiHeadAttention's
    /// <c>mha(query, value, key)</c>) rather than one tensor or one list (Attention, Add, ...).
    /// </summary>
    static bool IsSeparateArgumentsCall(Node node) => node.Layer is MultiHeadAttention && node.Inputs.Count > 1;

    JsonObject Keras3Node(Node node)
    {
        JsonArray args = IsSeparateArgumentsCall(node)
            ? [.. node.Inputs.Select(JsonNode (t) => KerasTensorJson(t))]   // Keras 3 keeps mha(q, v) as {"args": [q, v]}
            : new JsonArray(node.Inputs.Count == 1
                ? KerasTensorJson(node.Inputs[0])
                : new JsonArray([.. node.Inputs.Select(JsonNode (t) => KerasTensorJson(t))]));
        return new JsonObject { ["args"] = args, ["kwargs"] = CallKwargs(node) };
    }

    JsonObject KerasTensorJson(KerasTensor tensor) => new()
    {
        ["class_name"] = "__keras_tensor__",
        ["config"] = new JsonObject
        {
            ["shape"] = ConfigValues.WriteBatchShape(tensor.Shape),
            ["dtype"] = "float32",
            ["keras_history"] = Reference(tensor),
        },
    };
}
