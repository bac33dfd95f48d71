using Layerwise.Initializers;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Layerwise.Layers;

/// <summary>
/// Keras' <c>PReLU</c>: x for x ≥ 0, <c>alpha · x</c> otherwise, with a trainable <c>alpha</c> of the
/// per-sample input shape, of size 1 along <see cref="SharedAxes"/> (counted with the batch axis, as in
/// Keras: <c>shared_axes=[1, 2]</c> shares one slope per channel of an image). Zeros by default (Keras).
/// </summary>
[Layer(Module = "keras.layers")]
public partial class PReLU : Layer
{
    Variable? alpha;

    public PReLU(Initializer? alphaInitializer = null, int[]? sharedAxes = null, long[]? inputShape = null, string? name = null, bool trainable = true)
        : base(name, trainable, inputShape)
    {
        if (sharedAxes is not null && sharedAxes.Any(a => a < 1))
            throw new ArgumentException($"shared_axes counts from 1 (the batch axis 0 is always shared); received [{string.Join(", ", sharedAxes)}].", nameof(sharedAxes));
        AlphaInitializer = alphaInitializer ?? new Zeros();
        SharedAxes = sharedAxes?.ToArray();
    }

    public Initializer AlphaInitializer { get; }
    public int[]? SharedAxes { get; }

    public Variable Alpha => alpha ?? throw new InvalidOperationException($"Layer \"{Name}\" is not built yet.");

    protected override void Build(long[] inputShape)
    {
        var paramShape = inputShape.ToArray();
        foreach (var axis in SharedAxes ?? [])
        {
            if (axis > inputShape.Length)
                throw new IncompatibleShapeException(Name, $"an input with axis {axis} (shared_axes)", [-1, .. inputShape]);
            paramShape[axis - 1] = 1;
        }
        if (paramShape.Any(d => d < 0))
            throw new IncompatibleShapeException(Name, "known sizes on every axis that is not in shared_axes (alpha has one slope per element)", [-1, .. inputShape]);
        alpha = AddWeight("alpha", paramShape, AlphaInitializer);
    }

    public override Tensor Call(Tensor inputs, bool training = false)
    {
        // Keras: relu(x) - alpha · relu(-x).
        using var scope = NewDisposeScope();
        var negative = F.relu(inputs.neg()).mul(Alpha.Value);
        return scope.MoveToOuter(F.relu(inputs).sub(negative));
    }
}
