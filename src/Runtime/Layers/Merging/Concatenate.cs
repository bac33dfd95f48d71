using static TorchSharp.torch;

namespace Layerwise.Layers;

/// <summary>
/// Keras' <c>Concatenate</c>: joins its inputs along <see cref="Axis"/>. As in Keras the axis counts
/// the batch dimension (-1, the default, is the last axis; 1 the first per-sample axis); the batch axis
/// itself (0) cannot be joined. All other axes must be equal.
/// </summary>
[Layer(Module = "keras.layers")]
public partial class Concatenate : Merge
{
    /// <summary>Creates the layer with Keras' arguments and defaults (<c>keras.layers.Concatenate</c>).</summary>
    /// <param name="axis">Axis the inputs are joined along (Keras' <c>axis</c>; batch counted, -1 the last).</param>
    /// <param name="name">Layer name (Keras' <c>name</c>), unique within a model; weight paths in saved files start
    /// with it. Null: Keras' automatic name (snake_case class name plus a counter, e.g. <c>dense_1</c>).</param>
    /// <param name="trainable">Whether training updates this layer's weights (Keras' <c>trainable</c>).</param>
    public Concatenate(int axis = -1, string? name = null, bool trainable = true) : base(name, trainable)
    {
        if (axis == 0) throw new ArgumentOutOfRangeException(nameof(axis), axis, "Concatenate cannot join along the batch axis (0).");
        Axis = axis;
    }

    /// <summary>Axis the inputs are joined along (Keras' <c>axis</c>; batch counted, -1 the last).</summary>
    public int Axis { get; }

    /// <inheritdoc/>
    public override Tensor Call(IReadOnlyList<Tensor> inputs, bool training = false)
    {
        RequireInputs(inputs.Count);
        int rank = (int)inputs[0].dim();
        return cat([.. inputs], Axis < 0 ? rank + Axis : Axis);
    }

    /// <inheritdoc/>
    public override long[] ComputeOutputShape(IReadOnlyList<long[]> inputShapes)
    {
        RequireInputs(inputShapes.Count);
        var first = inputShapes[0];
        int axis = SampleAxis(first.Length);
        var output = first.ToArray();
        foreach (var shape in inputShapes.Skip(1))
        {
            bool compatible = shape.Length == first.Length && Enumerable.Range(0, first.Length).All(d => d == axis || Dimensions.Compatible(shape[d], output[d]));
            if (!compatible)
                throw new IncompatibleShapeException(Name,
                    $"inputs with matching shapes except for the concatenation axis {Axis}; the first has shape {ShapeText.WithBatch(first)}", [-1, .. shape]);
            for (int d = 0; d < output.Length; d++)
            {
                if (d == axis)
                    output[d] = Dimensions.IsKnown(output[d]) && Dimensions.IsKnown(shape[d]) ? output[d] + shape[d] : Dimensions.Unknown;
                else if (!Dimensions.IsKnown(output[d]))
                    output[d] = shape[d];   // the known size, where one input knows it
            }
        }
        return output;
    }

    /// <summary>The axis within a per-sample shape of <paramref name="rank"/> axes.</summary>
    int SampleAxis(int rank)
    {
        int axis = Axis < 0 ? rank + 1 + Axis : Axis;
        if (axis < 1 || axis > rank)
            throw new ArgumentException($"Concatenate \"{Name}\": axis {Axis} is out of range for inputs of shape rank {rank + 1} (batch included).");
        return axis - 1;
    }
}
