using System.Text;
using System.Text.Json.Nodes;
using Layerwise.Formats;
using Layerwise.Formats.Hdf5;
using Layerwise.Models;
using Layerwise.Serialization;

namespace Layerwise.Export.Tfjs;

/// <summary>
/// The TensorFlow.js layers format as <c>tensorflowjs_converter</c> writes it from a Keras .h5
/// (<c>keras_h5_conversion.h5_merged_saved_model_to_tfjs_format</c> + <c>write_artifacts</c>): <c>model.json</c> holds
/// <c>format</c>, <c>generatedBy</c> (<c>keras v&lt;keras_version&gt;</c>), <c>convertedBy</c>, <c>modelTopology</c> =
/// <c>{keras_version, backend, model_config, training_config?}</c> (the .h5's root attributes; TF.js reads
/// <c>model_config</c> and ignores the rest) and <c>weightsManifest</c>. The weights form one group, taken from the
/// .h5's <c>model_weights</c> groups in the order h5py lists them (by name, byte-wise), each group's weights in its
/// <c>weight_names</c> order, named without <c>:0</c>.
/// </summary>
internal static class TfjsLayersModel
{
    public const string ModelJsonFile = "model.json";

    public static void Save(Model model, string directory)
    {
        var topology = new JsonObject
        {
            ["keras_version"] = KerasH5Weights.KerasVersion,
            ["backend"] = "tensorflow",
            ["model_config"] = CountNestedModelNodesAsKeras2(KerasConfigForms.Keras2(model)),
        };
        if (model.IsCompiled) topology["training_config"] = CompileConfig.WriteTrainingConfig(model);

        // h5py iterates a group's members by name (byte order), and the converter walks model_weights that way.
        var weights = KerasH5Weights.Groups(model)
            .OrderBy(g => g.Group, StringComparer.Ordinal)
            .SelectMany(g => g.Weights)
            .ToList();
        AtomicFile.WriteDirectory(directory, temporary =>
        {
            var manifest = TfjsWeightShards.Write(temporary, groupIndex: 0, weights);
            var modelJson = new JsonObject
            {
                ["format"] = "layers-model",
                ["generatedBy"] = $"keras v{KerasH5Weights.KerasVersion}",
                ["convertedBy"] = $"Layerwise v{KerasH5ModelFile.LayerwiseVersion}",
                ["modelTopology"] = topology,
                ["weightsManifest"] = new JsonArray(manifest),
            };
            File.WriteAllText(Path.Combine(temporary, ModelJsonFile), modelJson.ToJsonString(), new UTF8Encoding(false));
        });
    }

    /// <summary>
    /// Node indices of models nested in a functional model, counted as tf.keras 2.x counts them
    /// (<c>functional._should_skip_first_node</c>): a nested model built on its own inputs already has node 0 (its own
    /// graph), so the call inside the outer model is node 1. TF.js reads the index literally (its own saves write 1);
    /// with 0 it wires the outer model to the inner model's own input and fails with "Graph disconnected".
    /// </summary>
    static JsonObject CountNestedModelNodesAsKeras2(JsonObject entry)
    {
        if (entry["config"] is not JsonObject config || config["layers"] is not JsonArray layers) return entry;
        var nestedModels = new HashSet<string>(StringComparer.Ordinal);
        foreach (var layer in layers.OfType<JsonObject>())
        {
            CountNestedModelNodesAsKeras2(layer);
            if (HasOwnFirstNode(layer) && layer["name"]?.GetValue<string>() is { } name)
                nestedModels.Add(name);
        }
        if (nestedModels.Count == 0) return entry;
        foreach (var layer in layers.OfType<JsonObject>())
            if (layer["inbound_nodes"] is JsonArray nodes)
                foreach (var node in nodes.OfType<JsonArray>())
                    foreach (var reference in node.OfType<JsonArray>()) ShiftNodeIndex(reference, nestedModels);
        if (config["output_layers"] is JsonArray outputs)
            foreach (var reference in outputs.OfType<JsonArray>()) ShiftNodeIndex(reference, nestedModels);
        return entry;
    }

    /// <summary>A functional model always has its own graph; a Sequential has one when its input shape is known (an InputLayer first, or a first layer with <c>batch_input_shape</c>).</summary>
    static bool HasOwnFirstNode(JsonObject layer) => layer["class_name"]?.GetValue<string>() switch
    {
        "Functional" or "Model" => true,
        "Sequential" => layer["config"]?["layers"] is JsonArray { Count: > 0 } layers && layers[0] is JsonObject first
                        && (first["class_name"]?.GetValue<string>() == "InputLayer" || first["config"]?["batch_input_shape"] is not null),
        _ => false,
    };

    static void ShiftNodeIndex(JsonArray reference, HashSet<string> nestedModels)
    {
        if (reference.Count >= 2 && reference[0]?.GetValue<string>() is { } layer && nestedModels.Contains(layer))
            reference[1] = reference[1]!.GetValue<int>() + 1;
    }
}
