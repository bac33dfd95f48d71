using Layerwise.Initializers;

namespace Layerwise.Layers;

/// <summary>
/// Keras' <c>Conv3DTranspose</c>: the transposed 3-D convolution (see <see cref="BaseConvTranspose"/>): kernel of shape
/// [kernel_d, kernel_h, kernel_w, filters, in_channels], inputs <c>channels_last</c> (batch, depth, height, width, channels) by default or <c>channels_first</c>.
/// </summary>
[Layer(Module = "keras.layers")]
public partial class Conv3DTranspose : BaseConvTranspose
{
    public Conv3DTranspose(int filters, int[] kernelSize, int[]? strides = null, string padding = "valid", int[]? outputPadding = null,
                           string? dataFormat = null, int[]? dilationRate = null, string? activation = null, bool useBias = true,
                           Initializer? kernelInitializer = null, Initializer? biasInitializer = null,
                           long[]? inputShape = null, string? name = null, bool trainable = true)
        : base(3, filters, kernelSize, strides, padding, outputPadding, dataFormat, dilationRate, activation, useBias,
               kernelInitializer, biasInitializer, inputShape, name, trainable) { }
}
