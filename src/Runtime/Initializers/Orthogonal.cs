using static TorchSharp.torch;

namespace Layerwise.Initializers;

/// <summary>
/// Keras' <c>Orthogonal</c> (the default recurrent kernel initializer): the Q of the QR decomposition
/// of a normal draw flattened to [prod(shape[..^1]), shape[^1]], signs fixed by R's diagonal so the
/// result is uniformly distributed, times <see cref="Gain"/>.
/// </summary>
public sealed class Orthogonal(double gain = 1.0) : Initializer
{
    /// <summary>Factor the orthogonal matrix is multiplied by (Keras' <c>gain</c>).</summary>
    public double Gain { get; } = gain;
    /// <inheritdoc/>
    public override string Name => "orthogonal";

    /// <inheritdoc/>
    public override Tensor Generate(long[] shape, Device device)
    {
        if (shape.Length < 2)
            throw new ArgumentException($"The Orthogonal initializer needs a shape of rank >= 2; received [{string.Join(", ", shape)}].", nameof(shape));
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        long rows = shape[..^1].Aggregate(1L, (a, b) => a * b), cols = shape[^1];
        var draw = randn([Math.Max(rows, cols), Math.Min(rows, cols)], ScalarType.Float32, device);
        var (q, r) = linalg.qr(draw);
        var signed = q.mul(r.diagonal().sign());
        if (rows < cols) signed = signed.t();
        return scope.MoveToOuter(signed.mul(Gain).reshape(shape).contiguous());
    }
}
