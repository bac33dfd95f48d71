using Google.Protobuf;

namespace Layerwise.Formats.Checkpoint;

/// <summary>
/// TensorFlow 2's object graph (<c>TrackableObjectGraph</c>, stored as a string tensor under
/// <c>_CHECKPOINTABLE_OBJECT_GRAPH</c>): node 0 is the root (the model), each node names its
/// children (<c>layer_with_weights-0</c>, <c>kernel</c>, <c>optimizer</c>), variable nodes say under
/// which checkpoint key their value is, and the optimizer node lists its slot variables.
/// TensorFlow matches a checkpoint to a model through this graph, not through the key strings.
/// </summary>
public sealed class TrackableObjectGraph
{
    /// <summary>The graph's objects; node 0 is the root (the model).</summary>
    public List<TrackableNode> Nodes { get; } = [];

    /// <summary>The node reached from the root through the children named <paramref name="path"/>, or null.</summary>
    public int? Find(params string[] path)
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

    /// <summary>The checkpoint key of a variable node's value, or null when the node has none.</summary>
    public string? VariableKey(int node) =>
        Nodes[node].Attributes.FirstOrDefault(a => a.Name == "VARIABLE_VALUE")?.CheckpointKey;

    /// <summary>The graph as TensorFlow's <c>TrackableObjectGraph</c> protobuf bytes.</summary>
    public byte[] ToBytes()
    {
        using var buffer = new MemoryStream();
        var output = new CodedOutputStream(buffer);
        foreach (var node in Nodes)
        {
            output.WriteTag(1, WireFormat.WireType.LengthDelimited);
            output.WriteBytes(ByteString.CopyFrom(node.ToBytes()));
        }
        output.Flush();
        return buffer.ToArray();
    }

    /// <summary>
    /// Reads a graph from TensorFlow's <c>TrackableObjectGraph</c> protobuf bytes (unknown fields are skipped).
    /// </summary>
    /// <param name="bytes">The value of the <c>_CHECKPOINTABLE_OBJECT_GRAPH</c> string tensor.</param>
    public static TrackableObjectGraph Parse(ReadOnlySpan<byte> bytes)
    {
        var graph = new TrackableObjectGraph();
        var input = new CodedInputStream(bytes.ToArray());
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            if (WireFormat.GetTagFieldNumber(tag) == 1 && WireFormat.GetTagWireType(tag) == WireFormat.WireType.LengthDelimited)
                graph.Nodes.Add(TrackableNode.Parse(input.ReadBytes().ToByteArray()));
            else input.SkipLastField();
        }
        return graph;
    }
}

/// <summary>One object of the graph: a model, a layer, a variable, the optimizer.</summary>
public sealed class TrackableNode
{
    /// <summary>
    /// The named edges to other nodes (<c>layer_with_weights-0</c>, <c>kernel</c>, <c>optimizer</c>).
    /// </summary>
    public List<TrackableChild> Children { get; } = [];
    /// <summary>The saved values of this node (<c>VARIABLE_VALUE</c> and the key holding it).</summary>
    public List<TrackableAttribute> Attributes { get; } = [];
    /// <summary>
    /// For the optimizer node: its slot variables (<c>m</c>, <c>v</c>) and the variables they belong to.
    /// </summary>
    public List<SlotVariableReference> SlotVariables { get; } = [];

    /// <summary>Whether the node or anything below it holds saved values (TF's <c>has_checkpoint_values</c>).</summary>
    public bool HasCheckpointValues { get; set; }

    internal byte[] ToBytes()
    {
        using var buffer = new MemoryStream();
        var output = new CodedOutputStream(buffer);
        foreach (var child in Children)
            WriteMessage(output, 1, o =>
            {
                if (child.NodeId != 0) { o.WriteTag(1, WireFormat.WireType.Varint); o.WriteInt32(child.NodeId); }
                o.WriteTag(2, WireFormat.WireType.LengthDelimited); o.WriteString(child.LocalName);
            });
        foreach (var attribute in Attributes)
            WriteMessage(output, 2, o =>
            {
                o.WriteTag(1, WireFormat.WireType.LengthDelimited); o.WriteString(attribute.Name);
                o.WriteTag(2, WireFormat.WireType.LengthDelimited); o.WriteString(attribute.FullName);
                o.WriteTag(3, WireFormat.WireType.LengthDelimited); o.WriteString(attribute.CheckpointKey);
            });
        foreach (var slot in SlotVariables)
            WriteMessage(output, 3, o =>
            {
                if (slot.OriginalVariableNodeId != 0) { o.WriteTag(1, WireFormat.WireType.Varint); o.WriteInt32(slot.OriginalVariableNodeId); }
                o.WriteTag(2, WireFormat.WireType.LengthDelimited); o.WriteString(slot.SlotName);
                if (slot.SlotVariableNodeId != 0) { o.WriteTag(3, WireFormat.WireType.Varint); o.WriteInt32(slot.SlotVariableNodeId); }
            });
        // google.protobuf.BoolValue: an empty message means false, as TensorFlow writes it.
        WriteMessage(output, 5, o =>
        {
            if (HasCheckpointValues) { o.WriteTag(1, WireFormat.WireType.Varint); o.WriteBool(true); }
        });
        output.Flush();
        return buffer.ToArray();
    }

    static void WriteMessage(CodedOutputStream output, int field, Action<CodedOutputStream> write)
    {
        using var buffer = new MemoryStream();
        var inner = new CodedOutputStream(buffer);
        write(inner);
        inner.Flush();
        output.WriteTag(field, WireFormat.WireType.LengthDelimited);
        output.WriteBytes(ByteString.CopyFrom(buffer.ToArray()));
    }

    internal static TrackableNode Parse(byte[] bytes)
    {
        var node = new TrackableNode();
        var input = new CodedInputStream(bytes);
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            if (WireFormat.GetTagWireType(tag) != WireFormat.WireType.LengthDelimited) { input.SkipLastField(); continue; }
            int field = WireFormat.GetTagFieldNumber(tag);
            var message = new CodedInputStream(input.ReadBytes().ToByteArray());
            switch (field)
            {
                case 1:
                {
                    int id = 0; string name = "";
                    ReadFields(message, (f, m) => { if (f == 1) id = m.ReadInt32(); else if (f == 2) name = m.ReadString(); else m.SkipLastField(); });
                    node.Children.Add(new TrackableChild(id, name));
                    break;
                }
                case 2:
                {
                    string name = "", fullName = "", key = "";
                    ReadFields(message, (f, m) =>
                    {
                        if (f == 1) name = m.ReadString();
                        else if (f == 2) fullName = m.ReadString();
                        else if (f == 3) key = m.ReadString();
                        else m.SkipLastField();
                    });
                    node.Attributes.Add(new TrackableAttribute(name, fullName, key));
                    break;
                }
                case 3:
                {
                    int original = 0, slotNode = 0; string slotName = "";
                    ReadFields(message, (f, m) =>
                    {
                        if (f == 1) original = m.ReadInt32();
                        else if (f == 2) slotName = m.ReadString();
                        else if (f == 3) slotNode = m.ReadInt32();
                        else m.SkipLastField();
                    });
                    node.SlotVariables.Add(new SlotVariableReference(original, slotName, slotNode));
                    break;
                }
                case 5:
                {
                    bool value = false;
                    ReadFields(message, (f, m) => { if (f == 1) value = m.ReadBool(); else m.SkipLastField(); });
                    node.HasCheckpointValues = value;
                    break;
                }
            }
        }
        return node;
    }

    static void ReadFields(CodedInputStream input, Action<int, CodedInputStream> read)
    {
        uint tag;
        while ((tag = input.ReadTag()) != 0) read(WireFormat.GetTagFieldNumber(tag), input);
    }
}

/// <summary>A named edge of the graph (<c>ObjectReference</c>).</summary>
public sealed record TrackableChild(int NodeId, string LocalName);

/// <summary>A saved value of a node (<c>SerializedTensor</c>): <c>VARIABLE_VALUE</c> for a variable.</summary>
public sealed record TrackableAttribute(string Name, string FullName, string CheckpointKey);

/// <summary>An optimizer slot (<c>SlotVariableReference</c>): which variable, which slot, which node holds it.</summary>
public sealed record SlotVariableReference(int OriginalVariableNodeId, string SlotName, int SlotVariableNodeId);
