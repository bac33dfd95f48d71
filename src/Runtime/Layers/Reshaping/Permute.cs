using static TorchSharp.torch;

namespace Layerwise.Layers;

/// <summary>
/// Keras' <c>Permute</c>: reorders a sample's axes. <see cref="Dims"/> counts from 1 (the batch axis
/// is 0 and stays first), as Keras writes it: <c>(2, 1)</c> swaps the two axes of a rank-3 batch.
/// </summary>
[Layer(Module = "keras.layers")]
public partial class Permute : Layer
{
    /// <summary>Creates the layer with Keras' arguments and defaults (<c>keras.layers.Permute</c>).</summary>
    /// <param name="dims">New order of the per-sample axes, 1-based as in Keras (<c>[2, 1]</c> swaps the two axes after
    /// the batch).</param>
    /// <param name="inputShape">Per-sample input shape (batch left out; -1 for an unknown dimension), Keras'
    /// <c>input_shape</c>: lets a model build this layer before the first call. Null: built from the first
    /// input.</param>
    /// <param name="name">Layer name (Keras' <c>name</c>), unique within a model; weight paths in saved files start
    /// with it. Null: Keras' automatic name (snake_case class name plus a counter, e.g. <c>dense_1</c>).</param>
    /// <param name="trainable">Whether training updates this layer's weights (Keras' <c>trainable</c>).</param>
    public Permute(int[] dims, long[]? inputShape = null, string? name = null, bool trainable = true)
        : base(name, trainable, inputShape)
    {
        ArgumentNullException.ThrowIfNull(dims);
        var sorted = dims.Order().ToArray();
        if (dims.Length == 0 || !sorted.SequenceEqual(Enumerable.Range(1, dims.Length)))
            throw new ArgumentException($"dims must be a permutation of 1..{dims.Length} (axes counted from 1; the batch axis does not move); " +
                                        $"received [{string.Join(", ", dims)}].", nameof(dims));
        Dims = [.. dims];
    }

    /// <summary>
    /// New order of the per-sample axes, 1-based as in Keras (<c>[2, 1]</c> swaps the two axes after the batch).
    /// </summary>
    public int[] Dims { get; }

    /// <inheritdoc/>
    protected override void Build(long[] inputShape)
    {
        if (inputShape.Length != Dims.Length)
            throw new IncompatibleShapeException(Name, $"an input of rank {Dims.Length + 1} for dims ({string.Join(", ", Dims)})", [-1, .. inputShape]);
    }

    /// <inheritdoc/>
    public override Tensor Call(Tensor inputs, bool training = false)
    {
        using var scope = NewDisposeScope();
        return scope.MoveToOuter(inputs.permute([0, .. Dims.Select(d => (long)d)]).contiguous());
    }

    /// <inheritdoc/>
    public override long[] ComputeOutputShape(long[] inputShape) => [.. Dims.Select(d => inputShape[d - 1])];
}
