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

    /// <summary>Creates the layer with Keras' arguments and defaults (<c>keras.layers.PReLU</c>).</summary>
    /// <param name="alphaInitializer">Initializer of the slopes <c>alpha</c> (Keras' <c>alpha_initializer</c>). Null:
    /// <c>zeros</c>.</param>
    /// <param name="sharedAxes">Axes (batch axis counted) along which one slope is shared (Keras' <c>shared_axes</c>).
    /// Null: one slope per input value.</param>
    /// <param name="inputShape">Per-sample input shape (batch left out; -1 for an unknown dimension), Keras'
    /// <c>input_shape</c>: lets a model build this layer before the first call. Null: built from the first
    /// input.</param>
    /// <param name="name">Layer name (Keras' <c>name</c>), unique within a model; weight paths in saved files start
    /// with it. Null: Keras' automatic name (snake_case class name plus a counter, e.g. <c>dense_1</c>).</param>
    /// <param name="trainable">Whether training updates this layer's weights (Keras' <c>trainable</c>).</param>
    public PReLU(Initializer? alphaInitializer = null, int[]? sharedAxes = null, long[]? inputShape = null, string? name = null, bool trainable = true)
        : base(name, trainable, inputShape)
    {
        if (sharedAxes is not null && sharedAxes.Any(a => a < 1))
            throw new ArgumentException($"shared_axes counts from 1 (the batch axis 0 is always shared); received [{string.Join(", ", sharedAxes)}].", nameof(sharedAxes));
        AlphaInitializer = alphaInitializer ?? new Zeros();
        SharedAxes = sharedAxes?.ToArray();
    }

    /// <summary>Initializer of the slopes <c>alpha</c> (Keras' <c>alpha_initializer</c>).</summary>
    public Initializer AlphaInitializer { get; }
    /// <summary>
    /// Axes (batch axis counted) along which one slope is shared (Keras' <c>shared_axes</c>); null: one slope per input
    /// value.
    /// </summary>
    public int[]? SharedAxes { get; }

    /// <summary>The <c>alpha</c> weight: the learned slopes for x &lt; 0. Null before the layer is built.</summary>
    public Variable Alpha => alpha ?? throw new InvalidOperationException($"Layer \"{Name}\" is not built yet.");

    /// <inheritdoc/>
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

    /// <inheritdoc/>
    public override Tensor Call(Tensor inputs, bool training = false)
    {
        // Keras: relu(x) - alpha · relu(-x).
        using var scope = NewDisposeScope();
        var negative = F.relu(inputs.neg()).mul(Alpha.Value);
        return scope.MoveToOuter(F.relu(inputs).sub(negative));
    }
}
