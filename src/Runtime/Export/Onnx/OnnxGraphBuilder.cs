using static TorchSharp.torch;

namespace Layerwise.Export.Onnx;

/// <summary>
/// Collects the nodes and initializers (weights, constants) of one ONNX graph in topological order,
/// and gives every value a unique name derived from the layer that made it.
/// </summary>
internal sealed class OnnxGraphBuilder
{
    readonly List<ProtoMessage> nodes = [];
    readonly List<ProtoMessage> initializers = [];
    readonly HashSet<string> names = new(StringComparer.Ordinal);

    public IReadOnlyList<ProtoMessage> Nodes => nodes;
    public IReadOnlyList<ProtoMessage> Initializers => initializers;

    /// <summary><paramref name="stem"/>, or <c>stem_1</c>, <c>stem_2</c>, ... when taken.</summary>
    public string UniqueName(string stem)
    {
        var name = stem;
        for (int i = 1; !names.Add(name); i++) name = $"{stem}_{i}";
        return name;
    }

    /// <summary>Reserves a name exactly (graph inputs and outputs); false when it is taken.</summary>
    public bool Reserve(string name) => names.Add(name);

    /// <summary>Adds a node with one output named after <paramref name="stem"/> (the layer) and the op; returns that output's name.</summary>
    public string Node(string opType, string stem, IReadOnlyList<string> inputs, params ProtoMessage[] attributes) =>
        NodeWithOutputs(opType, stem, inputs, [UniqueName($"{stem}/{opType}:0")], attributes)[0];

    /// <summary>Adds a node whose outputs are named by the caller ("" for an optional output left out).</summary>
    public IReadOnlyList<string> NodeWithOutputs(string opType, string stem, IReadOnlyList<string> inputs, IReadOnlyList<string> outputs, params ProtoMessage[] attributes)
    {
        nodes.Add(OnnxMessages.Node(opType, UniqueName($"{stem}/{opType}"), inputs, outputs, attributes));
        return outputs;
    }

    /// <summary>A float32 initializer holding a CPU copy of <paramref name="tensor"/>.</summary>
    public string Weight(string stem, Tensor tensor)
    {
        using var cpu = tensor.detach().to_type(ScalarType.Float32).cpu().contiguous();
        var values = cpu.data<float>().ToArray();
        var bytes = new byte[values.Length * sizeof(float)];
        Buffer.BlockCopy(values, 0, bytes, 0, bytes.Length);
        if (!BitConverter.IsLittleEndian) ReverseEach(bytes, sizeof(float));
        var name = UniqueName(stem);
        initializers.Add(OnnxMessages.Tensor(name, cpu.shape, OnnxMessages.Float32, bytes));
        return name;
    }

    /// <summary>A float32 constant of the given shape.</summary>
    public string Floats(string stem, float[] values, long[] dims)
    {
        using var constant = tensor(values, dims);
        return Weight(stem, constant);
    }

    /// <summary>A 1-D int64 constant (shapes, axes, slice bounds).</summary>
    public string Int64s(string stem, params long[] values)
    {
        var bytes = new byte[values.Length * sizeof(long)];
        Buffer.BlockCopy(values, 0, bytes, 0, bytes.Length);
        if (!BitConverter.IsLittleEndian) ReverseEach(bytes, sizeof(long));
        var name = UniqueName(stem);
        initializers.Add(OnnxMessages.Tensor(name, [values.Length], OnnxMessages.Int64Type, bytes));
        return name;
    }

    static void ReverseEach(byte[] bytes, int width)
    {
        for (int i = 0; i < bytes.Length; i += width) Array.Reverse(bytes, i, width);
    }
}
