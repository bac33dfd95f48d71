using Layerwise.Initializers;

namespace Layerwise.Layers;

/// <summary>
/// Keras' <c>SeparableConv1D</c>: a depthwise-separable convolution along the time axis (see <see cref="BaseSeparableConv"/>): <c>depthwise_kernel</c>
/// [kernel_size, in_channels, depth_multiplier], <c>pointwise_kernel</c> [1, in_channels · depth_multiplier,
/// filters], inputs <c>channels_last</c> (batch, steps, channels) by default or <c>channels_first</c>.
/// </summary>
[Layer(Module = "keras.layers")]
public partial class SeparableConv1D : BaseSeparableConv
{
    public SeparableConv1D(int filters, int[] kernelSize, int[]? strides = null, string padding = "valid", string? dataFormat = null,
                           int[]? dilationRate = null, int depthMultiplier = 1, string? activation = null, bool useBias = true,
                           Initializer? depthwiseInitializer = null, Initializer? pointwiseInitializer = null, Initializer? biasInitializer = null,
                           long[]? inputShape = null, string? name = null, bool trainable = true)
        : base(1, filters, kernelSize, strides, padding, dataFormat, dilationRate, depthMultiplier, activation, useBias,
               depthwiseInitializer, pointwiseInitializer, biasInitializer, inputShape, name, trainable) { }
}
