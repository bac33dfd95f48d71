using System.Text.Json.Nodes;
using Google.Protobuf;
using Layerwise.Formats.Checkpoint;
using Layerwise.Models;
using Layerwise.Serialization;

namespace Layerwise.Formats.SavedModel;

/// <summary>
/// A TensorFlow SavedModel directory as tf.keras 2.5–2.15 write it (<c>model.save("saved_model/my_model")</c>):
/// <c>saved_model.pb</c> (a TensorFlow graph, and the object graph of what was saved),
/// <c>keras_metadata.pb</c> (<see cref="KerasMetadata"/>: every Keras object's config as JSON) and
/// <c>variables/variables.index</c> + <c>.data-*</c> (a TF tensor bundle with the weights and the
/// optimizer's state). The model is rebuilt from the root object's Keras config, as Keras' own loader
/// does for Sequential and Functional models, then its weights are read from the bundle through the
/// checkpoint's object graph (<see cref="SavedModelNodes"/>); the graph's traced functions are not used.
/// Read only: <c>Save</c> writes Keras' own formats.
/// </summary>
internal static class SavedModelDirectory
{
    const string RootObject = KerasMetadata.FileName + " node 0 (root)";
    const string VariablesObject = "variables/variables";

    /// <summary>Whether <paramref name="directory"/> is a TensorFlow SavedModel (holds saved_model.pb or its text form).</summary>
    public static bool IsSavedModel(string directory) =>
        File.Exists(Path.Combine(directory, SavedObjectGraph.FileName)) || File.Exists(Path.Combine(directory, "saved_model.pbtxt"));

    /// <summary>The prefix of the SavedModel's variables bundle: <c>directory/variables/variables</c>.</summary>
    public static string VariablesPrefix(string directory) => Path.Combine(directory, "variables", "variables");

    /// <summary>Creates, builds, fills and (with <paramref name="compile"/>) compiles the model the directory holds.</summary>
    public static Model Load(string directory, bool compile)
    {
        if (!File.Exists(Path.Combine(directory, SavedObjectGraph.FileName)))
            throw new ModelFileException(directory, "saved_model.pbtxt",
                "this SavedModel is in protobuf text format, which is not read; expected the binary saved_model.pb that model.save writes.");
        var metadataPath = Path.Combine(directory, KerasMetadata.FileName);
        if (!File.Exists(metadataPath))
            throw new ModelFileException(directory, KerasMetadata.FileName,
                $"this TensorFlow SavedModel has no {KerasMetadata.FileName}, the file in which tf.keras 2.5 and later record every layer's Keras config. " +
                $"Without it the directory holds only a TensorFlow graph ({SavedObjectGraph.FileName}) and variables, not a Keras model to rebuild: it was " +
                "written by tf.saved_model.save, by a Keras version older than 2.5, or the file was lost. Save the model from Keras as .keras or .h5, " +
                "or with tf.keras 2.5-2.15's model.save(directory).");
        var metadata = ReadMetadata(directory, metadataPath);
        var root = metadata.FirstOrDefault(n => n.NodeId == 0)
            ?? throw new ModelFileException(directory, KerasMetadata.FileName, "expected a node 0 (the saved model itself); the file has none.");
        var rootJson = KerasModelConfig.Parse(root.Metadata, directory, RootObject);
        var modelConfig = ModelConfig(rootJson, root, directory);
        SavedModelConfig.RefuseUnsupportedLayers(modelConfig, directory, RootObject);

        var savedGraph = ReadSavedObjectGraph(directory);
        SavedModelConfig.ResolveUnknownInputShapes(modelConfig, BuildInputShapeAt(savedGraph.Find(["layer-0"]), metadata, directory));
        var prefix = VariablesPrefix(directory);
        if (!BundleFiles.Exists(prefix))
            throw new ModelFileException(directory, "variables/variables.index",
                "expected the SavedModel's variables (variables/variables.index and its data file); they are missing.");
        var checkpointGraph = ReadCheckpointGraph(directory, prefix);
        SavedModelNodes.CheckShared(metadata, savedGraph, checkpointGraph, directory);

        Model model;
        long stored = Directory.EnumerateFiles(Path.GetDirectoryName(prefix)!, Path.GetFileName(prefix) + ".data-*").Sum(FileLength.Of);
        using (Layers.ParameterBudget.ForFile(directory, RootObject, stored))
        {
            model = KerasModelConfig.CreateModel(modelConfig, directory, RootObject, weightsFollow: true);
            ModelBuilding.Build(model, modelConfig, directory, RootObject);
        }
        SavedModelNodes.CheckLayers(model, metadata, checkpointGraph, directory);
        if (compile && rootJson["training_config"] is JsonObject trainingNode)
        {
            CompileConfig compileConfig;
            try
            {
                compileConfig = CompileConfig.Read((JsonObject)SavedModelConfig.Decode(trainingNode)!, "training_config");
                compileConfig.CompileInto(model);
            }
            catch (ConfigException e)
            {
                throw new ModelFileException(directory, RootObject + " training_config", e.Message + " (Model.Load(path, compile: false) loads the model without it.)", e);
            }
        }
        try
        {
            KerasCheckpointReader.Restore(model, prefix, verifyFirst: false, newModel: true);
        }
        catch (CheckpointException e)
        {
            throw new ModelFileException(directory, VariablesObject, e.Message, e);
        }
        return model;
    }

    /// <summary>
    /// <c>{class_name, config}</c> of the root object (what Keras' loader revives a Sequential or
    /// Functional model from), decoded (<see cref="SavedModelConfig.Decode"/>), with the root's
    /// <c>build_input_shape</c> as <c>build_config</c> for a model whose config does not give its input shape.
    /// </summary>
    static JsonObject ModelConfig(JsonObject rootJson, KerasMetadataNode root, string directory)
    {
        var className = rootJson["class_name"] is JsonValue c && c.TryGetValue<string>(out var text) ? text : null;
        if (rootJson["config"] is not JsonObject config)
            throw new ModelFileException(directory, RootObject,
                $"the saved model is a subclassed Keras model (class \"{className ?? "?"}\", {root.Identifier}) whose get_config() was not saved: " +
                "its architecture exists only as Python code (and the traced TensorFlow graph), which Layerwise does not run. Rebuild it in C# " +
                "as a [ModelConfig] class and load the weights with LoadWeights(directory), or save a Sequential/Functional model.");
        if (className is null)
            throw new ModelFileException(directory, RootObject, "expected a \"class_name\" naming the saved model's class; the metadata has none.");
        var modelConfig = (JsonObject)SavedModelConfig.Decode(new JsonObject { ["class_name"] = className, ["config"] = config.DeepClone() })!;
        if (SavedModelConfig.Decode(rootJson["build_input_shape"]) is JsonArray shape && shape.Skip(1).All(d => d is not null))
            modelConfig["build_config"] = new JsonObject { ["input_shape"] = shape };
        return modelConfig;
    }

    /// <summary>The <c>build_input_shape</c> in the metadata of node <paramref name="nodeId"/> (a layer), when it is one shape.</summary>
    static JsonArray? BuildInputShapeAt(int? nodeId, IReadOnlyList<KerasMetadataNode> metadata, string directory)
    {
        if (metadata.FirstOrDefault(n => n.NodeId == nodeId) is not { } node) return null;
        var json = KerasModelConfig.Parse(node.Metadata, directory, $"{KerasMetadata.FileName} node {node.NodeId} ({node.NodePath})");
        return SavedModelConfig.Decode(json["build_input_shape"]) as JsonArray is { } shape && shape.All(d => d is null or JsonValue) ? shape : null;
    }

    static IReadOnlyList<KerasMetadataNode> ReadMetadata(string directory, string path)
    {
        var bytes = ReadBounded(directory, path, KerasMetadata.FileName, KerasMetadata.MaxBytes);
        try
        {
            return KerasMetadata.Parse(bytes);
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new ModelFileException(directory, KerasMetadata.FileName, $"expected a SavedMetadata protobuf; the file does not parse ({e.Message}).", e);
        }
    }

    static SavedObjectGraph ReadSavedObjectGraph(string directory)
    {
        var bytes = ReadBounded(directory, Path.Combine(directory, SavedObjectGraph.FileName), SavedObjectGraph.FileName, SavedObjectGraph.MaxBytes);
        SavedObjectGraph? graph;
        try
        {
            graph = SavedObjectGraph.Read(bytes);
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new ModelFileException(directory, SavedObjectGraph.FileName, $"expected a SavedModel protobuf; the file does not parse ({e.Message}).", e);
        }
        return graph ?? throw new ModelFileException(directory, SavedObjectGraph.FileName,
            "expected a TensorFlow 2 SavedModel with an object graph (meta_graphs[0].object_graph_def); this one has none (a TensorFlow 1 SavedModel?).");
    }

    static TrackableObjectGraph ReadCheckpointGraph(string directory, string prefix)
    {
        try
        {
            using var reader = BundleReader.Open(prefix);
            if (!reader.Contains(KerasCheckpointLayout.ObjectGraphKey))
                throw new ModelFileException(directory, VariablesObject,
                    $"expected the checkpoint's object graph ({KerasCheckpointLayout.ObjectGraphKey}), through which weights are found; the bundle has none.");
            return TrackableObjectGraph.Parse(reader.ReadString(KerasCheckpointLayout.ObjectGraphKey));
        }
        catch (CheckpointException e)
        {
            throw new ModelFileException(directory, VariablesObject, e.Message, e);
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new ModelFileException(directory, VariablesObject, $"the checkpoint's object graph ({KerasCheckpointLayout.ObjectGraphKey}) does not parse ({e.Message}).", e);
        }
    }

    static byte[] ReadBounded(string directory, string path, string name, long maxBytes)
    {
        using var stream = File.OpenRead(path);
        if (stream.Length > maxBytes)
            throw new ModelFileException(directory, name, $"the file is {stream.Length} bytes; more than {maxBytes} is refused.");
        var bytes = new byte[stream.Length];
        stream.ReadExactly(bytes);
        return bytes;
    }
}
