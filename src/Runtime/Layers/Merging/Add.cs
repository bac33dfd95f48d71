using static TorchSharp.torch;

namespace Layerwise.Layers;

/// <summary>
/// Keras' <c>Add</c>: the element-wise sum of its inputs. Shapes must be equal per axis, or 1 where
/// they differ (broadcast, as Keras' element-wise merge rule); the ranks must be equal.
/// </summary>
[Layer(Module = "keras.layers")]
public partial class Add : Merge
{
    public Add(string? name = null, bool trainable = true) : base(name, trainable) { }

    public override Tensor Call(IReadOnlyList<Tensor> inputs, bool training = false)
    {
        RequireInputs(inputs.Count);
        var sum = inputs[0].add(inputs[1]);
        for (int i = 2; i < inputs.Count; i++)
        {
            var next = sum.add(inputs[i]);
            sum.Dispose();
            sum = next;
        }
        return sum;
    }

    public override long[] ComputeOutputShape(IReadOnlyList<long[]> inputShapes)
    {
        RequireInputs(inputShapes.Count);
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
