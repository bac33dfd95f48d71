using System.Text.Json.Nodes;
using Layerwise.Layers;
using Layerwise.Models;
using Layerwise.Serialization;

namespace Layerwise.Formats;

/// <summary>
/// Creates the weights of a model just read from a config, for the input shape the file gives: the
/// model's own (a Sequential's first layer or InputLayer), else Keras 3's <c>build_config</c>, else the
/// <c>build_input_shape</c> Keras 3 writes into a Sequential's config.
/// </summary>
internal static class ModelBuilding
{
    /// <summary>
    /// Builds a model whose weights are read next: the initializers are skipped (weights start as
    /// zeros), since every weight is overwritten before the model is returned.
    /// </summary>
    public static void Build(Model model, JsonObject modelConfig, string filePath, string objectPath)
    {
        using var _ = WeightInitialization.Skip();
        if (model is Sequential { Layers.Count: 0 })
            throw new ModelFileException(filePath, objectPath, $"Sequential model \"{model.Name}\" has no layers: there are no weights to read into it.");
        if (!BuildIfShapeKnown(model, modelConfig, filePath, objectPath))
            throw new ModelFileException(filePath, objectPath,
                $"the file does not give the input shape of model \"{model.Name}\" (no input layer, no build_config), so its weights cannot be created.");
    }

    /// <summary>Builds the model when the config gives its input shape; false when it does not.</summary>
    public static bool BuildIfShapeKnown(Model model, JsonObject modelConfig, string filePath, string objectPath)
    {
        if (model.Built) return true;   // a functional model is built with its graph
        if (model is Sequential { Layers.Count: 0 }) return false;   // nothing to build (Keras' model_from_json gives it back empty too)
        var shape = (model as Sequential)?.InputShape
                    ?? ShapeAt(modelConfig["build_config"]?["input_shape"], filePath, objectPath + ".build_config.input_shape")
                    ?? ShapeAt(modelConfig["config"]?["build_input_shape"], filePath, objectPath + ".config.build_input_shape");
        if (shape is null) return false;
        try
        {
            model.EnsureBuilt(shape);
        }
        catch (LayerwiseException e)
        {
            throw new ModelFileException(filePath, objectPath, $"the model it describes cannot be built for input shape {ShapeText.WithBatch(shape)}: {e.Message}", e);
        }
        return true;
    }

    static long[]? ShapeAt(JsonNode? node, string filePath, string objectPath)
    {
        if (node is null) return null;
        try
        {
            var batchShape = ConfigValues.ReadShape(node, objectPath);
            if (batchShape.Length < 2 || batchShape[1..].Any(d => d is <= 0))
                throw new ConfigException(objectPath, "expected [null, d1, ...] with positive sizes or null (unknown, Keras' None).");
            return [.. batchShape[1..].Select(d => d ?? Dimensions.Unknown)];
        }
        catch (ConfigException e)
        {
            throw new ModelFileException(filePath, objectPath, e.Message, e);
        }
    }
}
