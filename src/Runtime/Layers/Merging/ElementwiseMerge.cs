using static TorchSharp.torch;

namespace Layerwise.Layers;

/// <summary>
/// Base of Keras' element-wise merges (<see cref="Add"/>, <see cref="Subtract"/>, <see cref="Multiply"/>,
/// <see cref="Average"/>, <see cref="Maximum"/>, <see cref="Minimum"/>): inputs of one rank whose
/// shapes are equal per axis, or 1 where they differ (broadcast, Keras' <c>_Merge</c> rule), folded
/// pairwise left to right.
/// </summary>
public abstract class ElementwiseMerge : Merge
{
    private protected ElementwiseMerge(string? name, bool trainable) : base(name, trainable) { }

    /// <summary>The fold of two tensors (the running result first).</summary>
    private protected abstract Tensor Combine(Tensor left, Tensor right);

    /// <summary>The result after folding all <paramref name="count"/> inputs (Average divides here).</summary>
    private protected virtual Tensor Finish(Tensor folded, int count) => folded;

    /// <summary>Checks the number of inputs; most element-wise merges take two or more.</summary>
    private protected virtual void CheckInputCount(int count) => RequireInputs(count);

    /// <inheritdoc/>
    public override Tensor Call(IReadOnlyList<Tensor> inputs, bool training = false)
    {
        CheckInputCount(inputs.Count);
        using var scope = NewDisposeScope();
        var result = Combine(inputs[0], inputs[1]);
        for (int i = 2; i < inputs.Count; i++) result = Combine(result, inputs[i]);
        return scope.MoveToOuter(Finish(result, inputs.Count));
    }

    /// <summary>
    /// The size of one axis after broadcasting two compatible sizes: the larger, or with one unknown, the
    /// other when it is known and not 1 (the unknown one must then equal it or be 1), else unknown.
    /// </summary>
    static long Broadcast(long a, long b)
    {
        if (Dimensions.IsKnown(a) && Dimensions.IsKnown(b)) return Math.Max(a, b);
        long known = Dimensions.IsKnown(a) ? a : b;
        return Dimensions.IsKnown(known) && known != 1 ? known : Dimensions.Unknown;
    }

    /// <inheritdoc/>
    public override long[] ComputeOutputShape(IReadOnlyList<long[]> inputShapes)
    {
        CheckInputCount(inputShapes.Count);
        var output = inputShapes[0].ToArray();
        foreach (var shape in inputShapes.Skip(1))
        {
            bool compatible = shape.Length == output.Length
                              && shape.Zip(output).All(p => Dimensions.Compatible(p.First, p.Second) || p.First == 1 || p.Second == 1);
            if (!compatible)
                throw new IncompatibleShapeException(Name,
                    $"inputs of one shape (or 1 where they differ); the first has shape {ShapeText.WithBatch(inputShapes[0])}", [-1, .. shape]);
            for (int d = 0; d < output.Length; d++) output[d] = Broadcast(output[d], shape[d]);
        }
        return output;
    }
}
