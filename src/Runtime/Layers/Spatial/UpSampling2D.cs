namespace Layerwise.Layers;

/// <summary>Keras' <c>UpSampling2D</c>: each spatial axis repeated by its factor in <see cref="Size"/> (2 by default), nearest neighbour or <c>bilinear</c> (see <see cref="UpSampling"/>).</summary>
[Layer(Module = "keras.layers")]
public partial class UpSampling2D : UpSampling
{
    public UpSampling2D(int[]? size = null, string? dataFormat = null, string interpolation = "nearest",
                        long[]? inputShape = null, string? name = null, bool trainable = true)
        : base(2, ConvolutionArithmetic.Tuple(size, 2, 2, nameof(size)), dataFormat, interpolation, inputShape, name, trainable) => Size = Factors;

    public int[] Size { get; }
}
