using static TorchSharp.torch;

namespace Layerwise.Layers;

/// <summary>
/// Keras' <c>Reshape</c>: each sample takes <see cref="TargetShape"/> (the batch axis is kept and not
/// listed); one entry may be -1, inferred from the sample's size as Keras does. When the input has
/// unknown dimensions, that entry stays unknown until data arrives (Keras' output <c>None</c>).
/// </summary>
[Layer(Module = "keras.layers")]
public partial class Reshape : Layer
{
    /// <summary>Creates the layer with Keras' arguments and defaults (<c>keras.layers.Reshape</c>).</summary>
    /// <param name="targetShape">Per-sample output shape (batch left out); one entry may be -1 (Keras'
    /// <c>target_shape</c>).</param>
    /// <param name="inputShape">Per-sample input shape (batch left out; -1 for an unknown dimension), Keras'
    /// <c>input_shape</c>: lets a model build this layer before the first call. Null: built from the first
    /// input.</param>
    /// <param name="name">Layer name (Keras' <c>name</c>), unique within a model; weight paths in saved files start
    /// with it. Null: Keras' automatic name (snake_case class name plus a counter, e.g. <c>dense_1</c>).</param>
    /// <param name="trainable">Whether training updates this layer's weights (Keras' <c>trainable</c>).</param>
    public Reshape(int[] targetShape, long[]? inputShape = null, string? name = null, bool trainable = true)
        : base(name, trainable, inputShape)
    {
        ArgumentNullException.ThrowIfNull(targetShape);
        if (targetShape.Any(d => d == 0 || d < -1) || targetShape.Count(d => d == -1) > 1)
            throw new ArgumentException($"target_shape may hold positive sizes and at most one -1; received [{string.Join(", ", targetShape)}].", nameof(targetShape));
        TargetShape = [.. targetShape];
    }

    /// <summary>Per-sample output shape (batch left out); one entry may be -1 (Keras' <c>target_shape</c>).</summary>
    public int[] TargetShape { get; }

    /// <inheritdoc/>
    protected override void Build(long[] inputShape) => ComputeOutputShape(inputShape);

    /// <inheritdoc/>
    public override Tensor Call(Tensor inputs, bool training = false) =>
        inputs.reshape([inputs.shape[0], .. ComputeOutputShape([.. inputs.shape.Skip(1)])]);

    /// <summary>The target shape with its -1 resolved; throws when the sizes do not match (Keras' "total size of new array must be unchanged").</summary>
    public override long[] ComputeOutputShape(long[] inputShape)
    {
        // Keras: with unknown input dimensions nothing can be checked yet, and the -1 stays unknown.
        if (!Dimensions.AllKnown(inputShape)) return [.. TargetShape.Select(d => (long)d)];
        long size = inputShape.Aggregate(1L, (a, b) => a * b);
        long known = TargetShape.Where(d => d != -1).Aggregate(1L, (a, b) => a * b);
        bool inferred = TargetShape.Contains(-1);
        if (inferred ? known == 0 || size % known != 0 : known != size)
            throw new IncompatibleShapeException(Name, $"an input of {(inferred ? "a multiple of " + known : known.ToString())} values per sample for target_shape " +
                                                       $"({string.Join(", ", TargetShape)})", [-1, .. inputShape]);
        return [.. TargetShape.Select(d => d == -1 ? size / known : d)];
    }
}
