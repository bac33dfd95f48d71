using System.Text.Json;
using System.Text.Json.Nodes;
using Layerwise.Formats.Checkpoint;
using Layerwise.Layers;
using Layerwise.Models;

namespace Layerwise.Formats.SavedModel;

/// <summary>
/// The node ids a SavedModel's three files share: keras_metadata.pb's <c>node_id</c>, the index of
/// the node in saved_model.pb's object graph, and in the checkpoint's object graph
/// (<c>variables/variables</c>). Before any weight is read, the loader checks that they agree (so the
/// files come from one save) and that the model rebuilt from the root config has, at each of its
/// layers' places in the graph (<c>layer-i</c> children of the model, as tf.keras tracks them), the
/// layer the metadata describes there. Weights are then found through the checkpoint's object graph,
/// by those places, never by layer names.
/// </summary>
internal static class SavedModelNodes
{
    /// <summary>Checks that every Keras object of keras_metadata.pb is the same node in saved_model.pb and in the checkpoint.</summary>
    public static void CheckShared(IReadOnlyList<KerasMetadataNode> metadata, SavedObjectGraph savedGraph, TrackableObjectGraph checkpointGraph, string directory)
    {
        foreach (var node in metadata)
        {
            var where = $"{KerasMetadata.FileName} node {node.NodeId} ({node.NodePath})";
            if (node.NodeId < 0 || node.NodeId >= savedGraph.Nodes.Count)
                throw new ModelFileException(directory, where,
                    $"{SavedObjectGraph.FileName}'s object graph has {savedGraph.Nodes.Count} nodes, so node {node.NodeId} does not exist there: the files do not come from one save.");
            var saved = savedGraph.Nodes[node.NodeId];
            if (saved.Kind != "user_object" || saved.Identifier != node.Identifier)
                throw new ModelFileException(directory, where,
                    $"expected node {node.NodeId} of {SavedObjectGraph.FileName}'s object graph to be the Keras object \"{node.Identifier}\"; it is " +
                    $"{(saved.Identifier is null ? $"a {saved.Kind}" : $"\"{saved.Identifier}\"")}: the files do not come from one save.");
            var path = PathOf(node);
            if (savedGraph.Find(path) is { } savedId && savedId != node.NodeId)
                throw new ModelFileException(directory, where,
                    $"{SavedObjectGraph.FileName}'s object graph reaches node {savedId} at {node.NodePath}, not node {node.NodeId}: the files do not come from one save.");
            if (checkpointGraph.Find([.. path]) is { } checkpointId && checkpointId != node.NodeId)
                throw new ModelFileException(directory, where,
                    $"the checkpoint's object graph (variables/variables) reaches node {checkpointId} at {node.NodePath}, not node {node.NodeId}: the files do not come from one save.");
        }
    }

    /// <summary>
    /// Checks that each layer of <paramref name="model"/> (and of the models nested in it) sits where
    /// the saved model had the layer of the same name: its <c>layer-i</c> child in the checkpoint's
    /// object graph is a node that keras_metadata.pb describes as that layer.
    /// </summary>
    public static void CheckLayers(Model model, IReadOnlyList<KerasMetadataNode> metadata, TrackableObjectGraph checkpointGraph, string directory)
    {
        var byId = new Dictionary<int, KerasMetadataNode>();
        foreach (var node in metadata) byId.TryAdd(node.NodeId, node);
        CheckLayers(model, [], byId, checkpointGraph, directory);
    }

    static void CheckLayers(Model model, string[] modelPath, Dictionary<int, KerasMetadataNode> byId, TrackableObjectGraph checkpointGraph, string directory)
    {
        for (int i = 0; i < model.Layers.Count; i++)
        {
            var layer = model.Layers[i];
            string[] path = [.. modelPath, $"layer-{i}"];
            var where = "root." + string.Join('.', path);
            var id = checkpointGraph.Find(path)
                ?? throw new ModelFileException(directory, $"variables/variables ({where})",
                    $"the checkpoint's object graph has no node at {where}, where the model rebuilt from the config has layer \"{layer.Name}\" " +
                    $"({layer.ClassName}): the config and the saved objects disagree.");
            if (!byId.TryGetValue(id, out var node))
                throw new ModelFileException(directory, $"{KerasMetadata.FileName} ({where})",
                    $"expected a Keras object for node {id} (layer \"{layer.Name}\" of the rebuilt model); the file describes none.");
            var savedName = NameOf(node, directory);
            if (savedName != layer.Name)
                throw new ModelFileException(directory, $"{KerasMetadata.FileName} node {id} ({where})",
                    $"the saved model has layer \"{savedName}\" there, but the model rebuilt from the root config has layer \"{layer.Name}\" ({layer.ClassName}): " +
                    "the config and the saved objects disagree.");
            if (SavedVariableCount(checkpointGraph, id) is { } saved && saved != layer.Weights.Count)
                throw new ModelFileException(directory, $"variables/variables ({where})",
                    $"the saved layer \"{savedName}\" has {saved} variables, but the layer rebuilt from its config has {layer.Weights.Count} weights " +
                    $"({string.Join(", ", layer.Weights.Select(w => w.Name))}): the config and the saved objects disagree.");
            if (layer is Sequential or Functional) CheckLayers((Model)layer, path, byId, checkpointGraph, directory);
        }
    }

    /// <summary>
    /// How many variables a layer node lists under its <c>variables</c> child (tf.keras tracks a layer's
    /// <c>variables</c> list there; random-generator state left out), or null when it has no such child
    /// (input and preprocessing layers). Catches saved variables the rebuilt layer would silently leave
    /// unread, whatever their keys (<c>variables/K/...</c> ones included).
    /// </summary>
    static int? SavedVariableCount(TrackableObjectGraph graph, int layerNode)
    {
        var list = graph.Nodes[layerNode].Children.FirstOrDefault(c => c.LocalName == "variables");
        if (list is null || list.NodeId < 0 || list.NodeId >= graph.Nodes.Count) return null;
        return graph.Nodes[list.NodeId].Children.Count(c =>
            c.NodeId < 0 || c.NodeId >= graph.Nodes.Count || graph.VariableKey(c.NodeId)?.Contains("/_random_generator/", StringComparison.Ordinal) != true);
    }

    static string[] PathOf(KerasMetadataNode node)
    {
        var parts = node.NodePath.Split('.');
        return parts.Length > 0 && parts[0] == "root" ? parts[1..] : parts;
    }

    static string? NameOf(KerasMetadataNode node, string directory)
    {
        return KerasModelConfig.ParseAny(node.Metadata, directory, $"{KerasMetadata.FileName} node {node.NodeId} ({node.NodePath})") is JsonObject obj
               && obj["name"] is JsonValue v && v.TryGetValue<string>(out var name) ? name : null;
    }
}
