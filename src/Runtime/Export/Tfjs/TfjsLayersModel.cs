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
            ["model_config"] = KerasConfigForms.Keras2(model),   // nested models counted as tf.keras 2 does (NestedModelNodes)
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
}
