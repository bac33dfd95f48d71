using static TorchSharp.torch;

namespace Layerwise.Layers;

/// <summary>
/// Keras' <c>Permute</c>: reorders a sample's axes. <see cref="Dims"/> counts from 1 (the batch axis
/// is 0 and stays first), as Keras writes it: <c>(2, 1)</c> swaps the two axes of a rank-3 batch.
/// </summary>
[Layer(Module = "keras.layers")]
public partial class Permute : Layer
{
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

    public int[] Dims { get; }

    protected override void Build(long[] inputShape)
    {
        if (inputShape.Length != Dims.Length)
            throw new IncompatibleShapeException(Name, $"an input of rank {Dims.Length + 1} for dims ({string.Join(", ", Dims)})", [-1, .. inputShape]);
    }

    public override Tensor Call(Tensor inputs, bool training = false)
    {
        using var scope = NewDisposeScope();
        return scope.MoveToOuter(inputs.permute([0, .. Dims.Select(d => (long)d)]).contiguous());
    }

    public override long[] ComputeOutputShape(long[] inputShape) => [.. Dims.Select(d => inputShape[d - 1])];
}
