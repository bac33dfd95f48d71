namespace Layerwise.Export.Onnx;

/// <summary>
/// The ONNX messages the exporter writes (ModelProto, GraphProto, NodeProto, TensorProto,
/// ValueInfoProto, TypeProto, TensorShapeProto, AttributeProto, OperatorSetIdProto), with the field
/// numbers and enum values of onnx/onnx.proto.
/// </summary>
internal static class OnnxMessages
{
    /// <summary>TensorProto.DataType values.</summary>
    public const int Float32 = 1, Int64Type = 7;

    // AttributeProto.AttributeType values.
    const int AttributeFloat = 1, AttributeInt = 2, AttributeString = 3, AttributeFloats = 6, AttributeInts = 7, AttributeStrings = 8;

    /// <summary>ModelProto: ir_version 1, producer_name 2, producer_version 3, graph 7, opset_import 8 (OperatorSetIdProto: domain 1, version 2).</summary>
    public static ProtoMessage Model(ProtoMessage graph, long irVersion, long opset, string producer, string producerVersion) =>
        new ProtoMessage()
            .Int64(1, irVersion)
            .String(2, producer)
            .String(3, producerVersion)
            .Message(7, graph)
            .Message(8, new ProtoMessage().String(1, "").Int64(2, opset));

    /// <summary>GraphProto: node 1, name 2, initializer 5, input 11, output 12.</summary>
    public static ProtoMessage Graph(string name, IEnumerable<ProtoMessage> nodes, IEnumerable<ProtoMessage> initializers,
                                     IEnumerable<ProtoMessage> inputs, IEnumerable<ProtoMessage> outputs)
    {
        var graph = new ProtoMessage();
        foreach (var node in nodes) graph.Message(1, node);
        graph.String(2, name);
        foreach (var initializer in initializers) graph.Message(5, initializer);
        foreach (var input in inputs) graph.Message(11, input);
        foreach (var output in outputs) graph.Message(12, output);
        return graph;
    }

    /// <summary>NodeProto: input 1, output 2, name 3, op_type 4, attribute 5.</summary>
    public static ProtoMessage Node(string opType, string name, IEnumerable<string> inputs, IEnumerable<string> outputs, IEnumerable<ProtoMessage> attributes)
    {
        var node = new ProtoMessage();
        foreach (var input in inputs) node.String(1, input);
        foreach (var output in outputs) node.String(2, output);
        node.String(3, name).String(4, opType);
        foreach (var attribute in attributes) node.Message(5, attribute);
        return node;
    }

    /// <summary>TensorProto: dims 1, data_type 2, name 8, raw_data 9 (little-endian, row-major).</summary>
    public static ProtoMessage Tensor(string name, long[] dims, int dataType, byte[] rawData)
    {
        var tensor = new ProtoMessage();
        foreach (var d in dims) tensor.Int64(1, d);
        return tensor.Int64(2, dataType).String(8, name).Bytes(9, rawData);
    }

    /// <summary>
    /// ValueInfoProto (name 1, type 2) of a tensor: TypeProto.tensor_type 1 → (elem_type 1, shape 2);
    /// TensorShapeProto.dim 1 → (dim_value 1 | dim_param 2). A null entry of <paramref name="dims"/> is a named dynamic axis.
    /// </summary>
    public static ProtoMessage ValueInfo(string name, int elementType, IEnumerable<(long? Value, string? Param)> dims)
    {
        var shape = new ProtoMessage();
        foreach (var (value, param) in dims)
            shape.Message(1, value is { } v ? new ProtoMessage().Int64(1, v) : new ProtoMessage().String(2, param!));
        var tensorType = new ProtoMessage().Int64(1, elementType).Message(2, shape);
        return new ProtoMessage().String(1, name).Message(2, new ProtoMessage().Message(1, tensorType));
    }

    // AttributeProto: name 1, f 2, i 3, s 4, floats 7, ints 8, strings 9, type 20.
    public static ProtoMessage Attribute(string name, long value) => new ProtoMessage().String(1, name).Int64(3, value).Int64(20, AttributeInt);

    public static ProtoMessage Attribute(string name, float value) => new ProtoMessage().String(1, name).Float(2, value).Int64(20, AttributeFloat);

    public static ProtoMessage Attribute(string name, string value) => new ProtoMessage().String(1, name).String(4, value).Int64(20, AttributeString);

    public static ProtoMessage Attribute(string name, IEnumerable<long> values)
    {
        var attribute = new ProtoMessage().String(1, name);
        foreach (var v in values) attribute.Int64(8, v);
        return attribute.Int64(20, AttributeInts);
    }

    public static ProtoMessage Attribute(string name, IEnumerable<float> values)
    {
        var attribute = new ProtoMessage().String(1, name);
        foreach (var v in values) attribute.Float(7, v);
        return attribute.Int64(20, AttributeFloats);
    }

    public static ProtoMessage Attribute(string name, IEnumerable<string> values)
    {
        var attribute = new ProtoMessage().String(1, name);
        foreach (var v in values) attribute.String(9, v);
        return attribute.Int64(20, AttributeStrings);
    }
}
