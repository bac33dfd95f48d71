using Layerwise.Initializers;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Layerwise.Layers;

/// <summary>
/// Keras' <c>MultiHeadAttention</c> on <c>[query, value]</c> or <c>[query, value, key]</c>, each
/// [batch, steps, features] (key defaults to value). Four <see cref="EinsumDense"/> projections, as Keras
/// builds them: <c>query</c> and <c>key</c> kernels [features, num_heads, key_dim] (<c>"abc,cde-&gt;abde"</c>),
/// <c>value</c> [features, num_heads, value_dim], <c>attention_output</c> [num_heads, value_dim, output]
/// (<c>"abcd,cde-&gt;abe"</c>), biases over the projected axes with <see cref="UseBias"/>. Then per head:
/// <c>softmax(q·kᵀ / sqrt(key_dim))</c> over the value steps (Keras' causal mask subtracts 1e9 from later
/// steps), dropout on it in training, times the values. Output [batch, Tq, output_shape or query features].
/// Weights: Keras 2 .h5 names them <c>&lt;layer&gt;/query/kernel:0</c>; Keras 3 archives
/// <c>&lt;layer&gt;/query_dense/vars/0</c> (<c>key_dense</c>, <c>value_dense</c>, <c>output_dense</c>; Keras 3.3+), TF checkpoints
/// <c>&lt;layer&gt;/_query_dense/kernel</c> (tf.keras 2's attributes).
/// Only the default <c>attention_axes</c> (the steps axis of rank-3 inputs) is supported.
/// </summary>
[Layer(Module = "keras.layers")]
public partial class MultiHeadAttention : Merge
{
    EinsumDense? queryDense, keyDense, valueDense, outputDense;

    public MultiHeadAttention(int numHeads, int keyDim, int? valueDim = null, double dropout = 0.0, bool useBias = true,
                              int[]? outputShape = null, int[]? attentionAxes = null,
                              Initializer? kernelInitializer = null, Initializer? biasInitializer = null,
                              string? name = null, bool trainable = true)
        : base(name, trainable)
    {
        if (numHeads <= 0) throw new ArgumentOutOfRangeException(nameof(numHeads), numHeads, "num_heads must be a positive integer.");
        if (keyDim <= 0) throw new ArgumentOutOfRangeException(nameof(keyDim), keyDim, "key_dim must be a positive integer.");
        if (valueDim is <= 0) throw new ArgumentOutOfRangeException(nameof(valueDim), valueDim, "value_dim must be a positive integer or null.");
        if (dropout is < 0 or >= 1 || double.IsNaN(dropout)) throw new ArgumentOutOfRangeException(nameof(dropout), dropout, "dropout must be in [0, 1).");
        if (outputShape is not null && (outputShape.Length == 0 || outputShape.Any(d => d <= 0)))
            throw new ArgumentException($"output_shape must list positive sizes; received [{string.Join(", ", outputShape)}].", nameof(outputShape));
        if (attentionAxes is not null && !(attentionAxes.Length == 1 && attentionAxes[0] is 1 or -3))
            throw new ArgumentException($"MultiHeadAttention supports only the default attention_axes (the steps axis of [batch, steps, features] inputs); received [{string.Join(", ", attentionAxes)}].", nameof(attentionAxes));
        NumHeads = numHeads;
        KeyDim = keyDim;
        ValueDim = valueDim ?? keyDim;
        Dropout = dropout;
        UseBias = useBias;
        OutputShape = outputShape?.ToArray();
        AttentionAxes = attentionAxes?.ToArray();
        KernelInitializer = kernelInitializer ?? new GlorotUniform();
        BiasInitializer = biasInitializer ?? new Zeros();
    }

    public int NumHeads { get; }
    public int KeyDim { get; }
    public int ValueDim { get; }
    public double Dropout { get; }
    public bool UseBias { get; }
    public int[]? OutputShape { get; }
    public int[]? AttentionAxes { get; }
    public Initializer KernelInitializer { get; }
    public Initializer BiasInitializer { get; }

    /// <summary>Keras' call argument <c>use_causal_mask</c>, set on the layer (see <see cref="BaseDenseAttention.UseCausalMask"/>).</summary>
    public bool UseCausalMask { get; set; }

    public EinsumDense QueryDense => queryDense ?? throw NotBuilt();
    public EinsumDense KeyDense => keyDense ?? throw NotBuilt();
    public EinsumDense ValueDense => valueDense ?? throw NotBuilt();
    public EinsumDense OutputDense => outputDense ?? throw NotBuilt();

    /// <summary>tf.keras 2 holds the projections in <c>_query_dense</c>, <c>_key_dense</c>, ...: TF checkpoints name them so.</summary>
    internal override string CheckpointChildName(TrackedField field) => "_" + field.Name;

    InvalidOperationException NotBuilt() => new($"Layer \"{Name}\" is not built yet.");

    /// <summary>Builds for the query's shape; the value's (and key's) come with the first call (<see cref="BuildFor"/>).</summary>
    protected override void Build(long[] inputShape) { }

    /// <summary>Creates the four projections for the shapes of one call, as Keras' <c>build(query_shape, value_shape, key_shape)</c>.</summary>
    void BuildFor(IReadOnlyList<long[]> shapes)
    {
        if (queryDense is not null) return;
        var (query, value) = (shapes[0], shapes[1]);
        var key = shapes.Count > 2 ? shapes[2] : value;
        EinsumDense Projection(string equation, long?[] output, string biasAxes, string name, long[] input)
        {
            var layer = TrackLayer(new EinsumDense(equation, output, biasAxes: UseBias ? biasAxes : null,
                                                   kernelInitializer: KernelInitializer, biasInitializer: BiasInitializer, name: name, trainable: Trainable));
            layer.EnsureBuilt(input);
            return layer;
        }
        queryDense = Projection("abc,cde->abde", [null, NumHeads, KeyDim], "de", "query", query);
        keyDense = Projection("abc,cde->abde", [null, NumHeads, KeyDim], "de", "key", key);
        valueDense = Projection("abc,cde->abde", [null, NumHeads, ValueDim], "de", "value", value);
        long[] output = OutputShape is null ? [query[^1]] : [.. OutputShape.Select(d => (long)d)];
        const string letters = "efghijklmnopqrstuvwxyz";
        string outputLetters = letters[..output.Length];
        outputDense = Projection($"abcd,cd{outputLetters}->ab{outputLetters}", [null, .. output.Select(d => (long?)d)], outputLetters,
                                 "attention_output", [query[0], NumHeads, ValueDim]);
    }

    public override long[] ComputeOutputShape(IReadOnlyList<long[]> inputShapes)
    {
        var (query, value, key) = AttentionInputs.Check(this, inputShapes);
        if (queryDense is not null)
        {
            CheckProjectionInput(QueryDense, query);
            CheckProjectionInput(KeyDense, key);
            CheckProjectionInput(ValueDense, value);
        }
        return OutputShape is null ? [query[0], query[1]] : [query[0], .. OutputShape.Select(d => (long)d)];
    }

    void CheckProjectionInput(EinsumDense projection, long[] shape)
    {
        long features = projection.Kernel.Shape[0];
        if (shape[^1] != features)
            throw new IncompatibleShapeException(Name, $"{features} features for the {projection.Name} projection", [-1, .. shape]);
    }

    private protected override void BuildForNode(IReadOnlyList<long[]> inputShapes)
    {
        ComputeOutputShape(inputShapes);
        EnsureBuilt(inputShapes[0]);
        BuildFor(inputShapes);
    }

    public override Tensor Call(IReadOnlyList<Tensor> inputs, bool training = false)
    {
        var shapes = inputs.Select(t => t.shape.Skip(1).ToArray()).ToList();
        ComputeOutputShape(shapes);
        if (!Built) EnsureBuilt(shapes[0]);
        BuildFor(shapes);
        var (queryInput, valueInput) = (inputs[0], inputs[1]);
        var keyInput = inputs.Count > 2 ? inputs[2] : valueInput;
        using var scope = NewDisposeScope();
        var query = QueryDense.Call(queryInput).mul(1.0 / Math.Sqrt(KeyDim));   // [B, T, N, H]
        var key = KeyDense.Call(keyInput);                                       // [B, S, N, H]
        var value = ValueDense.Call(valueInput);                                 // [B, S, N, Hv]
        var scores = einsum("aecd,abcd->acbe", key, query);                      // [B, N, T, S]
        if (UseCausalMask) scores = AttentionInputs.MaskCausally(scores);
        var distribution = F.softmax(scores, -1);
        if (training && Dropout > 0) distribution = F.dropout(distribution, Dropout, training: true);
        var combined = einsum("acbe,aecd->abcd", distribution, value);          // [B, T, N, Hv]
        return scope.MoveToOuter(OutputDense.Call(combined));
    }
}
