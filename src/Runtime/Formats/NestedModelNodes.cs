using System.Text.Json.Nodes;

namespace Layerwise.Formats;

/// <summary>
/// How Keras numbers the calls of a model nested in a functional model. A nested functional model is
/// built on its own inputs, so in Keras it already has node 0 (its own graph) and its first call inside
/// the outer model is node 1: tf.keras 2.x writes it so for a functional model and for a Sequential
/// whose input is known (<c>functional._should_skip_first_node</c>), Keras 3 for functional models
/// (<c>Functional.get_config</c>, <c>kept_nodes = 1</c>). Layerwise counts only the calls, from 0; these
/// rewrites add the offset when writing. Reading, <c>FunctionalConfigReader</c> infers it per nested
/// model (files of earlier Layerwise versions count from 0).
/// </summary>
internal static class NestedModelNodes
{
    /// <summary>Shifts node indices of nested models in a Keras 2 config (<c>{class_name, config}</c>), at every level.</summary>
    public static JsonObject CountAsKeras2(JsonObject entry) => Shift(entry, HasOwnFirstNodeInKeras2);

    /// <summary>Shifts node indices of nested functional models in a Keras 3 config, at every level.</summary>
    public static JsonObject CountAsKeras3(JsonObject entry) => Shift(entry, layer => ClassOf(layer) is "Functional" or "Model");

    static JsonObject Shift(JsonObject entry, Func<JsonObject, bool> hasOwnFirstNode)
    {
        if (entry["config"] is not JsonObject config || config["layers"] is not JsonArray layers) return entry;
        var nested = new HashSet<string>(StringComparer.Ordinal);
        foreach (var layer in layers.OfType<JsonObject>())
        {
            Shift(layer, hasOwnFirstNode);
            if (hasOwnFirstNode(layer) && (layer["name"] ?? layer["config"]?["name"]) is JsonValue nameValue && nameValue.TryGetValue<string>(out var name)) nested.Add(name);
        }
        if (nested.Count == 0 || ClassOf(entry) == "Sequential") return entry;   // a Sequential's config has no node references
        foreach (var layer in layers.OfType<JsonObject>())
            if (layer["inbound_nodes"] is { } nodes) ShiftReferences(nodes, nested);
        if (config["output_layers"] is { } outputs) ShiftReferences(outputs, nested);
        return entry;
    }

    /// <summary>tf.keras 2's rule: a functional model always; a Sequential when its first layer is an InputLayer (its input is known).</summary>
    static bool HasOwnFirstNodeInKeras2(JsonObject layer) => ClassOf(layer) switch
    {
        "Functional" or "Model" => true,
        "Sequential" => layer["config"]?["layers"] is JsonArray { Count: > 0 } layers && layers[0] is JsonObject first
                        && (ClassOf(first) == "InputLayer" || first["config"]?["batch_input_shape"] is not null),
        _ => false,
    };

    static string? ClassOf(JsonObject layer) => layer["class_name"] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    /// <summary>Every <c>[name, node, tensor(, kwargs)]</c> reference below <paramref name="node"/> (Keras 2 lists, Keras 3 <c>keras_history</c>).</summary>
    static void ShiftReferences(JsonNode node, HashSet<string> nested)
    {
        switch (node)
        {
            case JsonArray { Count: 3 or 4 } reference when reference[0] is JsonValue v && v.TryGetValue<string>(out var name)
                                                           && reference[1] is JsonValue index && index.TryGetValue<int>(out int nodeIndex):
                if (nested.Contains(name)) reference[1] = nodeIndex + 1;
                break;
            case JsonArray array:
                foreach (var item in array) if (item is not null) ShiftReferences(item, nested);
                break;
            case JsonObject obj:
                foreach (var (_, value) in obj) if (value is not null) ShiftReferences(value, nested);
                break;
        }
    }
}
