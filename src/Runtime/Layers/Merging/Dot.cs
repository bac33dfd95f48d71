using static TorchSharp.torch;

namespace Layerwise.Layers;

/// <summary>
/// Keras' <c>Dot</c>: the dot product of two inputs along <see cref="Axes"/> (one axis per input, counted
/// with the batch axis as in Keras; negative ones from the end), sample by sample (Keras' <c>batch_dot</c>):
/// the output keeps the other axes of the first input, then those of the second, or is [batch, 1] when
/// none is left. With <see cref="Normalize"/>, both inputs are L2-normalized along those axes first, so
/// the product is the cosine similarity. Keras writes <c>axes</c> as one number or a pair; both are read.
/// </summary>
[Layer(Module = "keras.layers")]
public partial class Dot : Merge
{
    /// <summary>Creates the layer with Keras' arguments and defaults (<c>keras.layers.Dot</c>).</summary>
    /// <param name="axes">Axis of each input to multiply along, one for both or one per input (Keras' <c>axes</c>;
    /// batch counted).</param>
    /// <param name="normalize">Whether to L2-normalize both inputs first, giving the cosine similarity (Keras'
    /// <c>normalize</c>).</param>
    /// <param name="name">Layer name (Keras' <c>name</c>), unique within a model; weight paths in saved files start
    /// with it. Null: Keras' automatic name (snake_case class name plus a counter, e.g. <c>dense_1</c>).</param>
    /// <param name="trainable">Whether training updates this layer's weights (Keras' <c>trainable</c>).</param>
    public Dot(int[] axes, bool normalize = false, string? name = null, bool trainable = true) : base(name, trainable)
    {
        ArgumentNullException.ThrowIfNull(axes);
        if (axes.Length != 2)
            throw new ArgumentException($"Dot axes must be one axis or a pair (one per input); received [{string.Join(", ", axes)}].", nameof(axes));
        if (axes.Contains(0))
            throw new ArgumentException("Dot cannot take the product along the batch axis (0).", nameof(axes));
        Axes = [.. axes];
        Normalize = normalize;
    }

    /// <summary>Keras' <c>Dot(axes=n)</c>: the same axis of both inputs.</summary>
    public Dot(int axes, bool normalize = false, string? name = null, bool trainable = true) : this([axes, axes], normalize, name, trainable) { }

    /// <summary>Axis of each input to multiply along (Keras' <c>axes</c>; batch counted).</summary>
    public int[] Axes { get; }
    /// <summary>
    /// Whether both inputs are L2-normalized first, giving the cosine similarity (Keras' <c>normalize</c>).
    /// </summary>
    public bool Normalize { get; }

    /// <summary>The contracted axis of each input, within the batch shape (1 .. rank-1).</summary>
    (int, int) ResolveAxes(int rank1, int rank2)
    {
        int a1 = Axes[0] < 0 ? Axes[0] + rank1 : Axes[0], a2 = Axes[1] < 0 ? Axes[1] + rank2 : Axes[1];
        if (a1 < 1 || a1 >= rank1 || a2 < 1 || a2 >= rank2)
            throw new ArgumentException($"Dot \"{Name}\": axes [{Axes[0]}, {Axes[1]}] are out of range for inputs of rank {rank1} and {rank2} (batch included), or name the batch axis.");
        return (a1, a2);
    }

    /// <inheritdoc/>
    public override long[] ComputeOutputShape(IReadOnlyList<long[]> inputShapes)
    {
        if (inputShapes.Count != 2)
            throw new ArgumentException($"Dot layer \"{Name}\" should be called on a list of 2 inputs; received {inputShapes.Count}.");
        var (s1, s2) = (inputShapes[0], inputShapes[1]);
        var (a1, a2) = ResolveAxes(s1.Length + 1, s2.Length + 1);
        long d1 = s1[a1 - 1], d2 = s2[a2 - 1];
        if (d1 != d2 && d1 >= 0 && d2 >= 0)
            throw new IncompatibleShapeException(Name, $"a second input of size {d1} on axis {a2} (the first input's size on axis {a1}; first shape {ShapeText.WithBatch(s1)})", [-1, .. s2]);
        long[] output = [.. s1.Where((_, i) => i != a1 - 1), .. s2.Where((_, i) => i != a2 - 1)];
        return output.Length == 0 ? [1] : output;
    }

    /// <inheritdoc/>
    public override Tensor Call(IReadOnlyList<Tensor> inputs, bool training = false)
    {
        var outputShape = ComputeOutputShape([.. inputs.Select(t => t.shape.Skip(1).ToArray())]);
        var (a1, a2) = ResolveAxes((int)inputs[0].dim(), (int)inputs[1].dim());
        using var scope = NewDisposeScope();
        var (x, y) = (inputs[0], inputs[1]);
        if (Normalize)
        {
            x = L2Normalize(x, a1);
            y = L2Normalize(y, a2);
        }
        long batch = x.shape[0], depth = x.shape[a1];
        var left = x.movedim([a1], [-1]).reshape(batch, -1, depth);      // [B, rest of x, k]
        var right = y.movedim([a2], [1]).reshape(batch, depth, -1);      // [B, k, rest of y]
        return scope.MoveToOuter(left.bmm(right).reshape([batch, .. outputShape]));
    }

    /// <summary>Keras' <c>l2_normalize</c>: x / sqrt(max(Σx², 1e-12)) along <paramref name="axis"/>.</summary>
    static Tensor L2Normalize(Tensor x, int axis) => x.mul(x.square().sum(axis, keepdim: true).clamp_min(1e-12).rsqrt());
}
