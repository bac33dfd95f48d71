using Layerwise.Initializers;

namespace Layerwise.Layers;

/// <summary>
/// Keras' <c>Conv2DTranspose</c>: the transposed 2-D convolution (see <see cref="BaseConvTranspose"/>): kernel of shape
/// [kernel_h, kernel_w, filters, in_channels], inputs <c>channels_last</c> (NHWC) by default or <c>channels_first</c>.
/// </summary>
[Layer(Module = "keras.layers")]
public partial class Conv2DTranspose : BaseConvTranspose
{
    public Conv2DTranspose(int filters, int[] kernelSize, int[]? strides = null, string padding = "valid", int[]? outputPadding = null,
                           string? dataFormat = null, int[]? dilationRate = null, string? activation = null, bool useBias = true,
                           Initializer? kernelInitializer = null, Initializer? biasInitializer = null,
                           long[]? inputShape = null, string? name = null, bool trainable = true)
        : base(2, filters, kernelSize, strides, padding, outputPadding, dataFormat, dilationRate, activation, useBias,
               kernelInitializer, biasInitializer, inputShape, name, trainable) { }
}
