using Google.Protobuf;

namespace Layerwise.Formats.SavedModel;

/// <summary>
/// One Keras object of a SavedModel, as <c>keras_metadata.pb</c> describes it (tf.keras'
/// <c>SavedObject</c> message of <c>saved_metadata.proto</c>): <see cref="NodeId"/> is the object's
/// node in saved_model.pb's object graph and in the checkpoint's (the same number in all three files),
/// <see cref="NodePath"/> its path of child names from the root (<c>root.layer_with_weights-0.cell</c>),
/// <see cref="Identifier"/> its kind (<c>_tf_keras_layer</c>, <c>_tf_keras_network</c>, <c>_tf_keras_metric</c>, ...),
/// and <see cref="Metadata"/> the JSON that holds its Keras config (the root's also has
/// <c>keras_version</c> and <c>training_config</c>).
/// </summary>
internal sealed record KerasMetadataNode(int NodeId, string NodePath, string Identifier, string Metadata);

/// <summary>
/// Reads <c>keras_metadata.pb</c>, the <c>SavedMetadata</c> protobuf that tf.keras 2.5 and later write
/// beside saved_model.pb: <c>repeated SavedObject nodes = 1</c>, each with <c>node_id = 2</c>,
/// <c>node_path = 3</c>, <c>identifier = 4</c>, <c>metadata = 5</c> (and a version, ignored).
/// Read field by field with Google.Protobuf's <see cref="CodedInputStream"/>, like the checkpoint's
/// protos: five fields do not justify generated classes and a protoc step in the build.
/// </summary>
internal static class KerasMetadata
{
    public const string FileName = "keras_metadata.pb";

    /// <summary>Larger files are refused before being read: the configs of thousands of layers fit in a few MB.</summary>
    public const long MaxBytes = 256L << 20;

    /// <exception cref="InvalidProtocolBufferException">The bytes are not a SavedMetadata message.</exception>
    public static IReadOnlyList<KerasMetadataNode> Parse(byte[] bytes)
    {
        var nodes = new List<KerasMetadataNode>();
        var input = new CodedInputStream(bytes);
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            if (WireFormat.GetTagFieldNumber(tag) == 1 && WireFormat.GetTagWireType(tag) == WireFormat.WireType.LengthDelimited)
                nodes.Add(ParseNode(input.ReadBytes()));
            else input.SkipLastField();
        }
        return nodes;
    }

    static KerasMetadataNode ParseNode(ByteString bytes)
    {
        int nodeId = 0;
        string nodePath = "", identifier = "", metadata = "";
        var input = bytes.CreateCodedInput();
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            switch (WireFormat.GetTagFieldNumber(tag), WireFormat.GetTagWireType(tag))
            {
                case (2, WireFormat.WireType.Varint): nodeId = input.ReadInt32(); break;
                case (3, WireFormat.WireType.LengthDelimited): nodePath = input.ReadString(); break;
                case (4, WireFormat.WireType.LengthDelimited): identifier = input.ReadString(); break;
                case (5, WireFormat.WireType.LengthDelimited): metadata = input.ReadString(); break;
                default: input.SkipLastField(); break;
            }
        }
        return new KerasMetadataNode(nodeId, nodePath, identifier, metadata);
    }
}
