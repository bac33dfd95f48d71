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

    public override Tensor Call(IReadOnlyList<Tensor> inputs, bool training = false)
    {
        CheckInputCount(inputs.Count);
        using var scope = NewDisposeScope();
        var result = Combine(inputs[0], inputs[1]);
        for (int i = 2; i < inputs.Count; i++) result = Combine(result, inputs[i]);
        return scope.MoveToOuter(Finish(result, inputs.Count));
    }

    public override long[] ComputeOutputShape(IReadOnlyList<long[]> inputShapes)
    {
        CheckInputCount(inputShapes.Count);
        var output = inputShapes[0].ToArray();
        foreach (var shape in inputShapes.Skip(1))
        {
            bool compatible = shape.Length == output.Length
                              && shape.Zip(output).All(p => p.First == p.Second || p.First == 1 || p.Second == 1);
            if (!compatible)
                throw new IncompatibleShapeException(Name,
                    $"inputs of one shape (or 1 where they differ); the first has shape {ShapeText.WithBatch(inputShapes[0])}", [-1, .. shape],
                    "(-1 stands for the batch.)");
            for (int d = 0; d < output.Length; d++) output[d] = Math.Max(output[d], shape[d]);
        }
        return output;
    }
}
