using Google.Protobuf;
using Layerwise.Formats.Checkpoint;

namespace Layerwise.Formats.SavedModel;

/// <summary>One node of saved_model.pb's object graph: its kind and, for a Keras object, its identifier.</summary>
/// <param name="Kind">The <c>SavedObject.kind</c> that is set: <c>user_object</c>, <c>variable</c>, <c>function</c>, ...</param>
/// <param name="Identifier">A user object's <c>SavedUserObject.identifier</c> (<c>_tf_keras_layer</c>); null for other kinds.</param>
/// <param name="Children">Its named edges (<c>ObjectReference</c>), as in the checkpoint's object graph.</param>
internal sealed record SavedObjectNode(string Kind, string? Identifier, IReadOnlyList<TrackableChild> Children);

/// <summary>
/// The part of saved_model.pb that a Keras loader needs: the <c>SavedObjectGraph</c> of its first
/// meta graph (<c>SavedModel.meta_graphs = 2</c> → <c>MetaGraphDef.object_graph_def = 7</c> →
/// <c>nodes = 1</c>), each node's children (<c>ObjectReference</c>: <c>node_id = 1</c>,
/// <c>local_name = 2</c>) and kind (the <c>SavedObject.kind</c> oneof; <c>user_object = 4</c> holds
/// <c>SavedUserObject.identifier = 1</c>). The TensorFlow graph itself (<c>graph_def</c>, the traced
/// functions) is skipped unread: the model is rebuilt from its Keras config, not from the graph.
/// TensorFlow's protos for all of this span dozens of .proto files (GraphDef, NodeDef, AttrValue,
/// TensorProto, the function library, ...); generating them would add tens of thousands of lines and
/// a protoc step for the handful of fields read here, so they are read with Google.Protobuf's
/// <see cref="CodedInputStream"/> as the checkpoint's protos are.
/// </summary>
internal sealed class SavedObjectGraph
{
    public const string FileName = "saved_model.pb";

    /// <summary>Larger files are refused before being read (graphs of large models are tens of MB).</summary>
    public const long MaxBytes = 1L << 30;

    public List<SavedObjectNode> Nodes { get; } = [];

    /// <summary>The node reached from the root through the children named <paramref name="path"/>, or null.</summary>
    public int? Find(IEnumerable<string> path)
    {
        if (Nodes.Count == 0) return null;
        int node = 0;
        foreach (var name in path)
        {
            var child = Nodes[node].Children.FirstOrDefault(c => c.LocalName == name);
            if (child is null || child.NodeId < 0 || child.NodeId >= Nodes.Count) return null;
            node = child.NodeId;
        }
        return node;
    }

    /// <summary>The object graph of the SavedModel's first meta graph, or null when it has none (a TensorFlow 1 SavedModel).</summary>
    /// <exception cref="InvalidProtocolBufferException">The bytes are not a SavedModel message.</exception>
    public static SavedObjectGraph? Read(byte[] savedModel)
    {
        var input = new CodedInputStream(savedModel);
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            if (WireFormat.GetTagFieldNumber(tag) == 2 && WireFormat.GetTagWireType(tag) == WireFormat.WireType.LengthDelimited)
                return ReadMetaGraph(input.ReadBytes());   // TensorFlow 2 writes one meta graph (tag "serve")
            input.SkipLastField();
        }
        return null;
    }

    static SavedObjectGraph? ReadMetaGraph(ByteString metaGraph)
    {
        var input = metaGraph.CreateCodedInput();
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            if (WireFormat.GetTagFieldNumber(tag) == 7 && WireFormat.GetTagWireType(tag) == WireFormat.WireType.LengthDelimited)
            {
                var graph = new SavedObjectGraph();
                var objects = input.ReadBytes().CreateCodedInput();
                uint objectTag;
                while ((objectTag = objects.ReadTag()) != 0)
                {
                    if (WireFormat.GetTagFieldNumber(objectTag) == 1 && WireFormat.GetTagWireType(objectTag) == WireFormat.WireType.LengthDelimited)
                        graph.Nodes.Add(ReadObject(objects.ReadBytes()));
                    else objects.SkipLastField();   // concrete_functions
                }
                return graph;
            }
            input.SkipLastField();   // meta_info_def, graph_def, saver_def, signatures, ...
        }
        return null;
    }

    static SavedObjectNode ReadObject(ByteString bytes)
    {
        var children = new List<TrackableChild>();
        string kind = "none";
        string? identifier = null;
        var input = bytes.CreateCodedInput();
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            int field = WireFormat.GetTagFieldNumber(tag);
            if (WireFormat.GetTagWireType(tag) != WireFormat.WireType.LengthDelimited) { input.SkipLastField(); continue; }
            switch (field)
            {
                case 1:
                {
                    int id = 0; string name = "";
                    var reference = input.ReadBytes().CreateCodedInput();
                    uint t;
                    while ((t = reference.ReadTag()) != 0)
                    {
                        if (t == WireFormat.MakeTag(1, WireFormat.WireType.Varint)) id = reference.ReadInt32();
                        else if (t == WireFormat.MakeTag(2, WireFormat.WireType.LengthDelimited)) name = reference.ReadString();
                        else reference.SkipLastField();
                    }
                    children.Add(new TrackableChild(id, name));
                    break;
                }
                case 4:
                {
                    kind = "user_object";
                    var user = input.ReadBytes().CreateCodedInput();
                    uint t;
                    while ((t = user.ReadTag()) != 0)
                    {
                        if (t == WireFormat.MakeTag(1, WireFormat.WireType.LengthDelimited)) identifier = user.ReadString();
                        else user.SkipLastField();
                    }
                    break;
                }
                default:
                    if (Kinds.TryGetValue(field, out var otherKind)) kind = otherKind;
                    input.SkipLastField();
                    break;
            }
        }
        return new SavedObjectNode(kind, identifier, children);
    }

    /// <summary>The other members of <c>SavedObject.kind</c>, by field number.</summary>
    static readonly Dictionary<int, string> Kinds = new()
    {
        [5] = "asset", [6] = "function", [7] = "variable", [8] = "bare_concrete_function",
        [9] = "constant", [10] = "resource", [12] = "captured_tensor",
    };
}
