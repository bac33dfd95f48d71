namespace Layerwise.Layers;

/// <summary>Keras' <c>UpSampling3D</c>: each spatial axis repeated by its factor in <see cref="Size"/> (2 by default), nearest neighbour (see <see cref="UpSampling"/>).</summary>
[Layer(Module = "keras.layers")]
public partial class UpSampling3D : UpSampling
{
    public UpSampling3D(int[]? size = null, string? dataFormat = null,
                        long[]? inputShape = null, string? name = null, bool trainable = true)
        : base(3, ConvolutionArithmetic.Tuple(size, 3, 2, nameof(size)), dataFormat, "nearest", inputShape, name, trainable) => Size = Factors;

    public int[] Size { get; }
}
