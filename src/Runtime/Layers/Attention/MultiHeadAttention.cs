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

    /// <summary>
    /// Creates the layer with Keras' arguments and defaults (<c>keras.layers.MultiHeadAttention</c>).
    /// </summary>
    /// <param name="numHeads">Number of attention heads (Keras' <c>num_heads</c>).</param>
    /// <param name="keyDim">Size of each head for query and key (Keras' <c>key_dim</c>).</param>
    /// <param name="valueDim">Size of each head for value (Keras' <c>value_dim</c>). Null: <c>key_dim</c>.</param>
    /// <param name="dropout">Fraction of the attention weights dropped in training (Keras' <c>dropout</c>).</param>
    /// <param name="useBias">Whether the layer adds a bias vector (Keras' <c>use_bias</c>).</param>
    /// <param name="outputShape">Size of the output's last axis (Keras' <c>output_shape</c>). Null: the query's
    /// features.</param>
    /// <param name="attentionAxes">Axes attention is computed over (Keras' <c>attention_axes</c>); only null (the steps
    /// axis) is supported.</param>
    /// <param name="kernelInitializer">Initializer of the kernel weights (Keras' <c>kernel_initializer</c>). Null:
    /// <c>glorot_uniform</c>.</param>
    /// <param name="biasInitializer">Initializer of the bias (Keras' <c>bias_initializer</c>). Null:
    /// <c>zeros</c>.</param>
    /// <param name="name">Layer name (Keras' <c>name</c>), unique within a model; weight paths in saved files start
    /// with it. Null: Keras' automatic name (snake_case class name plus a counter, e.g. <c>dense_1</c>).</param>
    /// <param name="trainable">Whether training updates this layer's weights (Keras' <c>trainable</c>).</param>
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

    /// <summary>Number of attention heads (Keras' <c>num_heads</c>).</summary>
    public int NumHeads { get; }
    /// <summary>Size of each head for query and key (Keras' <c>key_dim</c>).</summary>
    public int KeyDim { get; }
    /// <summary>Size of each head for value (Keras' <c>value_dim</c>; <c>key_dim</c> when not given).</summary>
    public int ValueDim { get; }
    /// <summary>Fraction of the attention weights dropped in training (Keras' <c>dropout</c>).</summary>
    public double Dropout { get; }
    /// <summary>Whether the layer adds a bias vector (Keras' <c>use_bias</c>).</summary>
    public bool UseBias { get; }
    /// <summary>Size of the output's last axis (Keras' <c>output_shape</c>); null: the query's features.</summary>
    public int[]? OutputShape { get; }
    /// <summary>Axes attention is computed over (Keras' <c>attention_axes</c>); null: the steps axis.</summary>
    public int[]? AttentionAxes { get; }
    /// <summary>Initializer of the kernel weights (Keras' <c>kernel_initializer</c>).</summary>
    public Initializer KernelInitializer { get; }
    /// <summary>Initializer of the bias (Keras' <c>bias_initializer</c>).</summary>
    public Initializer BiasInitializer { get; }

    /// <summary>Keras' call argument <c>use_causal_mask</c>, set on the layer (see <see cref="BaseDenseAttention.UseCausalMask"/>).</summary>
    public bool UseCausalMask { get; set; }

    /// <summary>
    /// The <c>query</c> projection (Keras' <c>_query_dense</c>). Throws <see cref="InvalidOperationException"/> before
    /// the layer is built.
    /// </summary>
    public EinsumDense QueryDense => queryDense ?? throw NotBuilt();
    /// <summary>
    /// The <c>key</c> projection (Keras' <c>_key_dense</c>). Throws <see cref="InvalidOperationException"/> before the
    /// layer is built.
    /// </summary>
    public EinsumDense KeyDense => keyDense ?? throw NotBuilt();
    /// <summary>
    /// The <c>value</c> projection (Keras' <c>_value_dense</c>). Throws <see cref="InvalidOperationException"/> before
    /// the layer is built.
    /// </summary>
    public EinsumDense ValueDense => valueDense ?? throw NotBuilt();
    /// <summary>
    /// The <c>attention_output</c> projection (Keras' <c>_output_dense</c>). Throws
    /// <see cref="InvalidOperationException"/> before the layer is built.
    /// </summary>
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

    /// <inheritdoc/>
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

    /// <inheritdoc/>
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
