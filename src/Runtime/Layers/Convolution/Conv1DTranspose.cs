using Layerwise.Initializers;

namespace Layerwise.Layers;

/// <summary>
/// Keras' <c>Conv1DTranspose</c>: the transposed convolution along the time axis (see <see cref="BaseConvTranspose"/>): kernel of shape
/// [kernel_size, filters, in_channels], inputs <c>channels_last</c> (batch, steps, channels) by default or <c>channels_first</c>.
/// </summary>
[Layer(Module = "keras.layers")]
public partial class Conv1DTranspose : BaseConvTranspose
{
    public Conv1DTranspose(int filters, int[] kernelSize, int[]? strides = null, string padding = "valid", int[]? outputPadding = null,
                           string? dataFormat = null, int[]? dilationRate = null, string? activation = null, bool useBias = true,
                           Initializer? kernelInitializer = null, Initializer? biasInitializer = null,
                           long[]? inputShape = null, string? name = null, bool trainable = true)
        : base(1, filters, kernelSize, strides, padding, outputPadding, dataFormat, dilationRate, activation, useBias,
               kernelInitializer, biasInitializer, inputShape, name, trainable) { }
}
