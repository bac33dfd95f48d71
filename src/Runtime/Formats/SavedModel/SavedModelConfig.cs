using System.Text.Json.Nodes;
using Layerwise.Serialization;

namespace Layerwise.Formats.SavedModel;

/// <summary>
/// The Keras config in <c>keras_metadata.pb</c>, brought to the form the config readers take, and
/// checked for classes that cannot be created. tf.keras 2 encodes it with its own JSON conventions
/// (<c>keras/saving/legacy/saved_model/json_utils.py</c>): a tuple is
/// <c>{"class_name": "__tuple__", "items": [...]}</c> (every shape), a TensorShape
/// <c>{"class_name": "TensorShape", "items": [...]}</c>, and objects shared between layers carry a
/// <c>shared_object_id</c> (every occurrence is written in full, so the id adds nothing here).
/// </summary>
internal static class SavedModelConfig
{
    /// <summary>A copy of <paramref name="node"/> with tuples and TensorShapes as JSON arrays and without <c>shared_object_id</c>s.</summary>
    public static JsonNode? Decode(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                if (obj["class_name"] is JsonValue c && c.TryGetValue<string>(out var className)
                    && className is "__tuple__" or "TensorShape" && obj.ContainsKey("items"))
                    return Decode(obj["items"]);   // null items: a TensorShape of unknown rank
                var decoded = new JsonObject();
                foreach (var (key, value) in obj)
                    if (key != "shared_object_id") decoded[key] = Decode(value);
                return decoded;
            case JsonArray array:
                return new JsonArray([.. array.Select(Decode)]);
            default:
                return node?.DeepClone();
        }
    }

    /// <summary>
    /// Input shapes with unknown dimensions that tf.keras wrote where the layers were built with known
    /// ones, resolved as Keras' SavedModel loader resolves them (it builds each revived layer with the
    /// <c>build_input_shape</c> of its own metadata):
    /// <list type="bullet">
    /// <item>a Sequential whose InputLayer says <c>[null, null]</c> (a model first called on data of any
    /// width, e.g. after <c>Normalization.adapt</c>) takes its first layer's <c>build_input_shape</c>
    /// (<paramref name="firstLayerBuildShape"/>) when that is known and of the same rank;</item>
    /// <item>a <c>batch_input_shape</c> with unknown dimensions on a layer that is not where the model's
    /// input comes from (any layer of a functional model, a Sequential's layers after its InputLayer) is
    /// dropped: Keras ignores it there.</item>
    /// </list>
    /// </summary>
    public static void ResolveUnknownInputShapes(JsonObject modelConfig, JsonArray? firstLayerBuildShape)
    {
        if (modelConfig["config"]?["layers"] is not JsonArray layers) return;
        bool sequential = modelConfig["class_name"] is JsonValue c && c.TryGetValue<string>(out var className) && className == "Sequential";
        if (sequential && layers.Count > 0 && IsInputLayer(layers[0]) && layers[0]!["config"] is JsonObject input
            && input["batch_input_shape"] is JsonArray declared && HasUnknownDimension(declared)
            && firstLayerBuildShape is not null && !HasUnknownDimension(firstLayerBuildShape) && firstLayerBuildShape.Count == declared.Count)
            input["batch_input_shape"] = firstLayerBuildShape.DeepClone();
        for (int i = 0; i < layers.Count; i++)
        {
            if (layers[i] is not JsonObject layer || IsInputLayer(layer) || (sequential && i == 0)) continue;
            if (layer["config"] is JsonObject config && config["batch_input_shape"] is JsonArray shape && HasUnknownDimension(shape))
                config.Remove("batch_input_shape");
            if (layer["config"]?["layers"] is JsonArray) ResolveUnknownInputShapes(layer, null);
        }
    }

    static bool IsInputLayer(JsonNode? layer) => layer?["class_name"] is JsonValue c && c.TryGetValue<string>(out var name) && name == "InputLayer";

    static bool HasUnknownDimension(JsonArray batchShape) => batchShape.Skip(1).Any(d => d is null);

    /// <summary>
    /// Refuses, before anything is created, a model whose layers include a Lambda (Python code) or
    /// classes that no registered type implements, naming every such layer at once.
    /// </summary>
    /// <exception cref="LambdaLayerException">A layer is a Keras Lambda.</exception>
    /// <exception cref="ModelFileException">Some layers' classes are not implemented.</exception>
    public static void RefuseUnsupportedLayers(JsonObject modelConfig, string filePath, string objectPath)
    {
        var unsupported = new List<string>();
        Visit(modelConfig, "config", filePath, objectPath, unsupported);
        if (unsupported.Count == 0) return;
        throw new ModelFileException(filePath, objectPath,
            $"{string.Join("; ", unsupported)}. Layerwise creates only the Keras layers it implements (README, \"What is there\") and " +
            "registered [Layer]/[ModelConfig] classes; nothing is run from the file. A custom Python class must be written as a [Layer] " +
            "class registered under its class name, then the directory loads.");
    }

    static void Visit(JsonObject layer, string path, string filePath, string objectPath, List<string> unsupported)
    {
        var className = layer["class_name"] is JsonValue c && c.TryGetValue<string>(out var text) ? text : null;
        var config = layer["config"] as JsonObject;
        var name = config?["name"] is JsonValue n && n.TryGetValue<string>(out var layerName) ? layerName : "(unnamed)";
        if (className == "Lambda") throw new LambdaLayerException(filePath, $"{objectPath} {path}", name);
        if (className is not null && !IsImplemented(className, config))
            unsupported.Add($"Keras layer class '{className}' (layer \"{name}\" at {path}) is not implemented in Layerwise");
        if (config is null) return;
        if (config["layers"] is JsonArray layers)
            for (int i = 0; i < layers.Count; i++)
                if (layers[i] is JsonObject nested) Visit(nested, $"{path}.layers[{i}]", filePath, objectPath, unsupported);
        // Wrapped layers and RNN cells (Bidirectional, TimeDistributed, RNN, StackedRNNCells).
        foreach (var key in new[] { "layer", "forward_layer", "backward_layer", "cell" })
            if (config[key] is JsonObject inner && inner.ContainsKey("class_name")) Visit(inner, $"{path}.{key}", filePath, objectPath, unsupported);
        if (config["cells"] is JsonArray cells)
            for (int i = 0; i < cells.Count; i++)
                if (cells[i] is JsonObject cell) Visit(cell, $"{path}.cells[{i}]", filePath, objectPath, unsupported);
    }

    static bool IsImplemented(string className, JsonObject? config)
    {
        // Keras 2.0-2.3 called functional models "Model" (KerasModelConfig upgrades the name).
        if (className == "Model" && config?.ContainsKey("input_layers") == true) className = "Functional";
        return LayerRegistry.TryResolve(KerasModelConfig.CanonicalClassName(className), out _);
    }
}
