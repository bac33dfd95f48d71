using Google.Protobuf;

namespace Layerwise.Formats.Checkpoint;

/// <summary>
/// The record under the empty key of a bundle's index (TensorFlow's <c>BundleHeaderProto</c>):
/// how many data shards there are, their byte order, and the format version.
/// </summary>
internal sealed record BundleHeader(int NumShards, bool BigEndian, int Producer, int MinConsumer)
{
    /// <summary>The version this code writes, as TensorFlow's <c>kTensorBundleVersion</c>.</summary>
    public const int Version = 1;

    public byte[] ToBytes()
    {
        using var buffer = new MemoryStream();
        var output = new CodedOutputStream(buffer);
        output.WriteTag(1, WireFormat.WireType.Varint);
        output.WriteInt32(NumShards);
        if (BigEndian) { output.WriteTag(2, WireFormat.WireType.Varint); output.WriteEnum(1); }
        using var version = new MemoryStream();
        var versionOutput = new CodedOutputStream(version);
        if (Producer != 0) { versionOutput.WriteTag(1, WireFormat.WireType.Varint); versionOutput.WriteInt32(Producer); }
        if (MinConsumer != 0) { versionOutput.WriteTag(2, WireFormat.WireType.Varint); versionOutput.WriteInt32(MinConsumer); }
        versionOutput.Flush();
        output.WriteTag(3, WireFormat.WireType.LengthDelimited);
        output.WriteBytes(ByteString.CopyFrom(version.ToArray()));
        output.Flush();
        return buffer.ToArray();
    }

    public static BundleHeader Parse(ReadOnlySpan<byte> bytes)
    {
        var input = new CodedInputStream(bytes.ToArray());
        int shards = 0, producer = 0, minConsumer = 0;
        bool bigEndian = false;
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            switch (WireFormat.GetTagFieldNumber(tag))
            {
                case 1 when WireFormat.GetTagWireType(tag) == WireFormat.WireType.Varint: shards = input.ReadInt32(); break;
                case 2 when WireFormat.GetTagWireType(tag) == WireFormat.WireType.Varint: bigEndian = input.ReadEnum() == 1; break;
                case 3 when WireFormat.GetTagWireType(tag) == WireFormat.WireType.LengthDelimited:
                    var version = new CodedInputStream(input.ReadBytes().ToByteArray());
                    uint versionTag;
                    while ((versionTag = version.ReadTag()) != 0)
                    {
                        int field = WireFormat.GetTagFieldNumber(versionTag);
                        bool varint = WireFormat.GetTagWireType(versionTag) == WireFormat.WireType.Varint;
                        if (field == 1 && varint) producer = version.ReadInt32();
                        else if (field == 2 && varint) minConsumer = version.ReadInt32();
                        else version.SkipLastField();
                    }
                    break;
                default: input.SkipLastField(); break;
            }
        }
        return new BundleHeader(shards, bigEndian, producer, minConsumer);
    }
}
