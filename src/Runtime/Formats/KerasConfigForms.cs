using System.Text.Json.Nodes;
using Layerwise.Layers;
using Layerwise.Models;
using Layerwise.Serialization;

namespace Layerwise.Formats;

/// <summary>
/// A model's config exactly as each Keras writes it into its files, so that its own loader accepts it:
/// <list type="bullet">
/// <item><b>Keras 3</b> (<c>config.json</c> of .keras archives and directories), as
/// <c>saving_lib._serialize_model_as_json</c>: every object <c>{module, class_name, config, registered_name}</c>
/// plus <c>build_config</c> for each built layer; a Sequential lists an <c>InputLayer</c> with
/// <c>batch_shape</c> first (Keras 3 builds one for every Sequential whose input is known) and has
/// <c>build_input_shape</c>; no layer config holds an input shape (Keras 3's <c>Layer.__init__</c> refuses
/// <c>batch_input_shape</c>); InputLayer configs are <c>{batch_shape, dtype, sparse, name}</c>.</item>
/// <item><b>Keras 2</b> (<c>model_config</c> of .h5 files), as tf.keras 2.x's <c>model_metadata</c>:
/// objects are <c>{class_name, config}</c> (no <c>module</c>: with one, Keras 3's legacy loader would skip its
/// <c>batch_input_shape</c> conversion), a Sequential lists an InputLayer named <c>&lt;first layer&gt;_input</c>
/// first, and InputLayer configs are <c>{batch_input_shape, dtype, sparse, ragged, name}</c> (tf.keras 2's
/// InputLayer accepts nothing else). A custom layer keeps its <c>registered_name</c> (Keras ignores it there;
/// Layerwise resolves by it).</item>
/// </list>
/// Both are rewrites of the registry's serialization (<see cref="LayerRegistry.Serialize"/>), walked with the
/// model's layers beside them for the shapes they were built with.
/// </summary>
internal static class KerasConfigForms
{
    static readonly string[] InputShapeKeys = ["batch_input_shape", "batch_shape", "input_shape"];

    /// <summary>The model as Keras 3's <c>serialize_keras_object</c> writes it, with its top-level <c>build_config</c>.</summary>
    public static JsonObject Keras3(Model model)
    {
        var entry = Functional.InConfigForm(FunctionalConfigForm.Keras3, () => LayerRegistry.Serialize(model));
        ToKeras3(entry, model, model.BuildInputShape is { } shape ? ConfigValues.WriteBatchShape(shape) : null);
        return NestedModelNodes.CountAsKeras3(entry);
    }

    /// <summary>The model as tf.keras 2.x writes <c>model_config</c>: <c>{class_name, config}</c>.</summary>
    public static JsonObject Keras2(Model model)
    {
        var entry = Functional.InConfigForm(FunctionalConfigForm.Keras2, () => LayerRegistry.Serialize(model));
        ToKeras2(entry, model);
        if (model is not (Sequential or Functional) && model.BuildInputShape is { } shape)
        {
            // A subclassed model's config does not say its input shape; Layerwise needs it to build the model (Keras 2 ignores the key).
            entry["build_config"] = new JsonObject { ["input_shape"] = ConfigValues.WriteBatchShape(shape) };
        }
        return NestedModelNodes.CountAsKeras2(entry);
    }

    static void ToKeras3(JsonObject entry, Layer layer, JsonNode? buildInputShape)
    {
        var config = entry["config"] as JsonObject;
        switch (layer)
        {
            case InputLayer input:
                entry["config"] = new JsonObject
                {
                    ["batch_shape"] = ConfigValues.WriteBatchShape(input.Shape),
                    ["dtype"] = input.DType,
                    ["sparse"] = false,
                    ["name"] = input.Name,
                };
                return;
            case Sequential sequential when (config?["layers"] is JsonArray layers):
                SequentialToKeras3(sequential, config, layers);
                break;
            case Functional functional when (config?["layers"] is JsonArray layers):
                // Keras 3.6 serializes Functional as a class of its own: registered_name "Functional", and no input shape (its inputs give it).
                entry["registered_name"] = "Functional";
                foreach (var item in layers.OfType<JsonObject>())
                {
                    var name = item["name"]?.GetValue<string>();
                    var sub = functional.Layers.FirstOrDefault(l => l.Name == name);
                    if (sub is not null) ToKeras3(item, sub, FirstCallShapes(item));
                }
                entry["build_config"] = new JsonObject { ["input_shape"] = null };
                return;
        }
        if (config is not null && layer is not Model)
            foreach (var key in InputShapeKeys) config.Remove(key);
        if (layer.Built && buildInputShape is not null)
            entry["build_config"] = new JsonObject { ["input_shape"] = buildInputShape.DeepClone() };
        else
            entry.Remove("build_config");
    }

    static void SequentialToKeras3(Sequential sequential, JsonObject config, JsonArray layers)
    {
        var inputShape = sequential.InputShape;
        bool hasInputLayer = layers.Count > 0 && layers[0]?["class_name"]?.GetValue<string>() == "InputLayer";
        if (!hasInputLayer && inputShape is not null)
        {
            layers.Insert(0, new JsonObject
            {
                ["module"] = "keras.layers",
                ["class_name"] = "InputLayer",
                ["config"] = new JsonObject
                {
                    ["batch_shape"] = ConfigValues.WriteBatchShape(inputShape),
                    ["dtype"] = "float32",
                    ["sparse"] = false,
                    // The name Keras 3's Sequential.build gives the InputLayer it creates.
                    ["name"] = "input_layer",
                },
                ["registered_name"] = null,
            });
            hasInputLayer = true;
        }
        if (hasInputLayer && layers[0] is JsonObject inputEntry && inputShape is not null)
            inputEntry["config"] = new JsonObject
            {
                ["batch_shape"] = ConfigValues.WriteBatchShape(inputShape),
                ["dtype"] = "float32",
                ["sparse"] = false,
                ["name"] = inputEntry["config"]?["name"]?.DeepClone() ?? "input_layer",
            };
        int offset = hasInputLayer ? 1 : 0;
        for (int i = 0; i < sequential.Layers.Count && i + offset < layers.Count; i++)
        {
            var sub = sequential.Layers[i];
            if (layers[i + offset] is JsonObject item)
                ToKeras3(item, sub, sub.BuildInputShape is { } shape ? ConfigValues.WriteBatchShape(shape) : null);
        }
        if (inputShape is not null) config["build_input_shape"] = ConfigValues.WriteBatchShape(inputShape);
    }

    /// <summary>The batch shapes of a functional layer's first call (what Keras 3 built it with): one shape, or a list for several inputs.</summary>
    static JsonNode? FirstCallShapes(JsonObject item)
    {
        if (item["inbound_nodes"] is not JsonArray { Count: > 0 } nodes || nodes[0]?["args"] is not JsonArray { Count: > 0 } args) return null;
        return args[0] switch
        {
            JsonObject tensor => tensor["config"]?["shape"]?.DeepClone(),
            JsonArray tensors => new JsonArray([.. tensors.Select(t => t?["config"]?["shape"]?.DeepClone())]),
            _ => null,
        };
    }

    static void ToKeras2(JsonObject entry, Layer layer)
    {
        entry.Remove("module");
        entry.Remove("build_config");
        if (entry["registered_name"] is null) entry.Remove("registered_name");
        var config = entry["config"] as JsonObject;
        switch (layer)
        {
            case InputLayer input:
                entry["config"] = Keras2InputConfig(input.Shape, input.Name);
                return;
            case Sequential sequential when (config?["layers"] is JsonArray layers):
            {
                bool hasInputLayer = layers.Count > 0 && layers[0]?["class_name"]?.GetValue<string>() == "InputLayer";
                if (hasInputLayer && layers[0] is JsonObject inputEntry)
                {
                    inputEntry.Remove("module");
                    inputEntry.Remove("registered_name");
                    inputEntry.Remove("build_config");
                    var name = inputEntry["config"]?["name"]?.GetValue<string>() ?? "input";
                    if (sequential.InputShape is { } shape) inputEntry["config"] = Keras2InputConfig(shape, name);
                }
                else if (sequential.InputShape is { } shape && sequential.Layers.Count > 0)
                {
                    // tf.keras 2's Sequential.add creates an InputLayer named after the first layer when that layer knows its input shape.
                    layers.Insert(0, new JsonObject { ["class_name"] = "InputLayer", ["config"] = Keras2InputConfig(shape, sequential.Layers[0].Name + "_input") });
                    hasInputLayer = true;
                }
                int offset = hasInputLayer ? 1 : 0;
                for (int i = 0; i < sequential.Layers.Count && i + offset < layers.Count; i++)
                    if (layers[i + offset] is JsonObject item) ToKeras2(item, sequential.Layers[i]);
                return;
            }
            case Functional functional when (config?["layers"] is JsonArray layers):
                foreach (var item in layers.OfType<JsonObject>())
                {
                    var name = item["name"]?.GetValue<string>();
                    if (functional.Layers.FirstOrDefault(l => l.Name == name) is { } sub) ToKeras2(item, sub);
                }
                return;
        }
    }

    /// <summary>tf.keras 2.x's <c>InputLayer.get_config</c>.</summary>
    static JsonObject Keras2InputConfig(long[] shape, string name) => new()
    {
        ["batch_input_shape"] = ConfigValues.WriteBatchShape(shape),
        ["dtype"] = "float32",
        ["sparse"] = false,
        ["ragged"] = false,
        ["name"] = name,
    };
}
