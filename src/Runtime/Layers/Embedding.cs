using Layerwise.Initializers;
using static TorchSharp.torch;

namespace Layerwise.Layers;

/// <summary>
/// Keras' <c>Embedding</c>: each integer index in [0, input_dim) becomes row <c>index</c> of
/// <c>embeddings</c> [input_dim, output_dim]; inputs [batch, ...] give [batch, ..., output_dim].
/// <c>Fit</c>, <c>Evaluate</c> and <c>Predict</c> pass inputs as float32 tensors, so float indices are
/// accepted and cast to integers, truncating as Keras 3's <c>ops.cast</c> does; float32 holds every
/// integer up to 2^24 exactly, which bounds the vocabularies that survive that path. An index outside
/// [0, input_dim) is an error here (TensorFlow's CPU kernel refuses it too; its GPU kernel returns zeros).
/// With <c>mask_zero=true</c> index 0 is padding: the layer's mask (<see cref="ComputeMask"/>) is
/// <c>inputs != 0</c>, which recurrent layers and <see cref="GlobalAveragePooling1D"/> use to skip those
/// steps (see <see cref="Layer.InvokeWithMask"/>); index 0 still has its row, and input_dim counts it, as in Keras.
/// </summary>
[Layer(Module = "keras.layers")]
public partial class Embedding : Layer
{
    Variable? embeddings;

    /// <summary>Creates the layer with Keras' arguments and defaults (<c>keras.layers.Embedding</c>).</summary>
    /// <param name="inputDim">Vocabulary size: indices lie in [0, input_dim) (Keras' <c>input_dim</c>).</param>
    /// <param name="outputDim">Size of each embedding vector (Keras' <c>output_dim</c>).</param>
    /// <param name="embeddingsInitializer">Initializer of the embeddings (Keras' <c>embeddings_initializer</c>). Null:
    /// <c>uniform</c> in [-0.05, 0.05].</param>
    /// <param name="maskZero">Whether index 0 is padding and masked for later layers (Keras' <c>mask_zero</c>).</param>
    /// <param name="inputLength">Keras 2's fixed sequence length, turned into the input shape when none is given. Null:
    /// none.</param>
    /// <param name="inputShape">Per-sample input shape (batch left out; -1 for an unknown dimension), Keras'
    /// <c>input_shape</c>: lets a model build this layer before the first call. Null: built from the first
    /// input.</param>
    /// <param name="name">Layer name (Keras' <c>name</c>), unique within a model; weight paths in saved files start
    /// with it. Null: Keras' automatic name (snake_case class name plus a counter, e.g. <c>dense_1</c>).</param>
    /// <param name="trainable">Whether training updates this layer's weights (Keras' <c>trainable</c>).</param>
    public Embedding(int inputDim, int outputDim, Initializer? embeddingsInitializer = null, bool maskZero = false, int? inputLength = null,
                     long[]? inputShape = null, string? name = null, bool trainable = true)
        // Keras 2 turns input_length into the input shape (input_length,) when no shape is given.
        : base(name, trainable, inputShape ?? (inputLength is { } length ? [length] : null))
    {
        if (inputDim <= 0) throw new ArgumentOutOfRangeException(nameof(inputDim), inputDim, "Embedding needs a positive input_dim (the vocabulary size).");
        if (outputDim <= 0) throw new ArgumentOutOfRangeException(nameof(outputDim), outputDim, "Embedding needs a positive output_dim.");
        if (inputLength is <= 0)
            throw new ArgumentOutOfRangeException(nameof(inputLength), inputLength, "Embedding's input_length must be positive (or null).");
        InputDim = inputDim;
        OutputDim = outputDim;
        EmbeddingsInitializer = embeddingsInitializer ?? new RandomUniform();
        MaskZero = maskZero;
        InputLength = inputLength;
    }

    /// <summary>Vocabulary size: indices lie in [0, input_dim) (Keras' <c>input_dim</c>).</summary>
    public int InputDim { get; }
    /// <summary>Size of each embedding vector (Keras' <c>output_dim</c>).</summary>
    public int OutputDim { get; }
    /// <summary>Initializer of the embeddings (Keras' <c>embeddings_initializer</c>).</summary>
    public Initializer EmbeddingsInitializer { get; }
    /// <summary>Whether index 0 is padding and masked for later layers (Keras' <c>mask_zero</c>).</summary>
    public bool MaskZero { get; }
    /// <summary>Keras 2's fixed sequence length (Keras 3 dropped the argument); null when not given.</summary>
    public int? InputLength { get; }

    /// <summary>
    /// The <c>embeddings</c> weight: one row per index, shape [input_dim, output_dim]. Throws
    /// <see cref="InvalidOperationException"/> before the layer is built.
    /// </summary>
    public Variable Embeddings => embeddings ?? throw new InvalidOperationException($"Layer \"{Name}\" is not built yet.");

    /// <inheritdoc/>
    protected override void Build(long[] inputShape) =>
        embeddings = AddWeight("embeddings", [InputDim, OutputDim], EmbeddingsInitializer);

    /// <inheritdoc/>
    public override Tensor Call(Tensor inputs, bool training = false)
    {
        using var scope = NewDisposeScope();
        var indices = inputs.dtype == ScalarType.Int64 ? inputs : inputs.to_type(ScalarType.Int64);
        // Checked in managed code: an out-of-range index_select is a native error.
        if (indices.numel() > 0)
        {
            long low = indices.min().item<long>(), high = indices.max().item<long>();
            if (low < 0 || high >= InputDim)
                throw new ArgumentOutOfRangeException(nameof(inputs), $"Embedding \"{Name}\": indices must be in [0, {InputDim}); received values from {low} to {high}.");
        }
        var rows = Embeddings.Value.index_select(0, indices.flatten());
        return scope.MoveToOuter(rows.reshape([.. inputs.shape, OutputDim]));
    }

    /// <summary>With <see cref="MaskZero"/>, true where the index is not 0 (Keras' <c>compute_mask</c>); an incoming mask is not passed on.</summary>
    public override Tensor? ComputeMask(Tensor inputs, Tensor? mask) => MaskZero ? inputs.ne(0) : null;

    /// <inheritdoc/>
    public override long[] ComputeOutputShape(long[] inputShape) => [.. inputShape, OutputDim];
}
