using Google.Protobuf;

namespace Layerwise.Formats.Checkpoint;

/// <summary>
/// One tensor's record in a bundle's index (TensorFlow's <c>BundleEntryProto</c>): its type and
/// shape, the shard file that holds it, where (<see cref="Offset"/>, <see cref="Size"/> bytes) and
/// the masked CRC-32C of those bytes. Partitioned variables (slices) are not supported.
/// </summary>
public sealed record BundleEntry(TensorDataType DType, long[] Shape, int ShardId, long Offset, long Size, uint MaskedCrc32C)
{
    /// <summary>Number of elements of <see cref="Shape"/> (1 for a scalar).</summary>
    public long ElementCount => Shape.Aggregate(1L, (n, d) => n * d);

    internal byte[] ToBytes()
    {
        using var buffer = new MemoryStream();
        var output = new CodedOutputStream(buffer);
        if (DType != TensorDataType.Invalid) { output.WriteTag(1, WireFormat.WireType.Varint); output.WriteEnum((int)DType); }
        var shape = TensorShapeWire.ToBytes(Shape);
        output.WriteTag(2, WireFormat.WireType.LengthDelimited);
        output.WriteBytes(ByteString.CopyFrom(shape));
        if (ShardId != 0) { output.WriteTag(3, WireFormat.WireType.Varint); output.WriteInt32(ShardId); }
        if (Offset != 0) { output.WriteTag(4, WireFormat.WireType.Varint); output.WriteInt64(Offset); }
        if (Size != 0) { output.WriteTag(5, WireFormat.WireType.Varint); output.WriteInt64(Size); }
        output.WriteTag(6, WireFormat.WireType.Fixed32);
        output.WriteFixed32(MaskedCrc32C);
        output.Flush();
        return buffer.ToArray();
    }

    /// <summary>Parses an entry; throws <see cref="InvalidProtocolBufferException"/> or <see cref="FormatException"/> on bad bytes.</summary>
    internal static BundleEntry Parse(ReadOnlySpan<byte> bytes, out bool hasSlices)
    {
        var input = new CodedInputStream(bytes.ToArray());
        TensorDataType dtype = TensorDataType.Invalid;
        long[] shape = [];
        int shard = 0;
        long offset = 0, size = 0;
        uint crc = 0;
        hasSlices = false;
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            switch (WireFormat.GetTagFieldNumber(tag))
            {
                case 1 when WireFormat.GetTagWireType(tag) == WireFormat.WireType.Varint: dtype = (TensorDataType)input.ReadEnum(); break;
                case 2 when WireFormat.GetTagWireType(tag) == WireFormat.WireType.LengthDelimited: shape = TensorShapeWire.Parse(input.ReadBytes().Span); break;
                case 3 when WireFormat.GetTagWireType(tag) == WireFormat.WireType.Varint: shard = input.ReadInt32(); break;
                case 4 when WireFormat.GetTagWireType(tag) == WireFormat.WireType.Varint: offset = input.ReadInt64(); break;
                case 5 when WireFormat.GetTagWireType(tag) == WireFormat.WireType.Varint: size = input.ReadInt64(); break;
                case 6 when WireFormat.GetTagWireType(tag) == WireFormat.WireType.Fixed32: crc = input.ReadFixed32(); break;
                case 7: hasSlices = true; input.SkipLastField(); break;
                default: input.SkipLastField(); break;
            }
        }
        return new BundleEntry(dtype, shape, shard, offset, size, crc);
    }
}

/// <summary>TensorFlow's <c>TensorShapeProto</c>: repeated <c>dim { size }</c>; unknown rank is refused.</summary>
internal static class TensorShapeWire
{
    public static byte[] ToBytes(long[] shape)
    {
        using var buffer = new MemoryStream();
        var output = new CodedOutputStream(buffer);
        foreach (var d in shape)
        {
            using var dim = new MemoryStream();
            var dimOutput = new CodedOutputStream(dim);
            if (d != 0) { dimOutput.WriteTag(1, WireFormat.WireType.Varint); dimOutput.WriteInt64(d); }
            dimOutput.Flush();
            output.WriteTag(2, WireFormat.WireType.LengthDelimited);
            output.WriteBytes(ByteString.CopyFrom(dim.ToArray()));
        }
        output.Flush();
        return buffer.ToArray();
    }

    public static long[] Parse(ReadOnlySpan<byte> bytes)
    {
        var input = new CodedInputStream(bytes.ToArray());
        var dims = new List<long>();
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            switch (WireFormat.GetTagFieldNumber(tag))
            {
                case 2 when WireFormat.GetTagWireType(tag) == WireFormat.WireType.LengthDelimited:
                    var dim = new CodedInputStream(input.ReadBytes().ToByteArray());
                    long size = 0;
                    uint dimTag;
                    while ((dimTag = dim.ReadTag()) != 0)
                    {
                        if (WireFormat.GetTagFieldNumber(dimTag) == 1 && WireFormat.GetTagWireType(dimTag) == WireFormat.WireType.Varint) size = dim.ReadInt64();
                        else dim.SkipLastField();
                    }
                    dims.Add(size);
                    break;
                case 3 when WireFormat.GetTagWireType(tag) == WireFormat.WireType.Varint:
                    if (input.ReadBool()) throw new FormatException("tensor shape of unknown rank");
                    break;
                default: input.SkipLastField(); break;
            }
        }
        return [.. dims];
    }
}
