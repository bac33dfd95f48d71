using Layerwise.Initializers;

namespace Layerwise.Layers;

/// <summary>
/// Keras' <c>DepthwiseConv2D</c>: a depthwise 2-D convolution (see <see cref="BaseDepthwiseConv"/>): <c>depthwise_kernel</c> of
/// shape [kernel_h, kernel_w, in_channels, depth_multiplier], inputs <c>channels_last</c> (NHWC) by default or <c>channels_first</c>.
/// </summary>
[Layer(Module = "keras.layers")]
public partial class DepthwiseConv2D : BaseDepthwiseConv
{
    public DepthwiseConv2D(int[] kernelSize, int[]? strides = null, string padding = "valid", int depthMultiplier = 1, string? dataFormat = null,
                           int[]? dilationRate = null, string? activation = null, bool useBias = true,
                           Initializer? depthwiseInitializer = null, Initializer? biasInitializer = null,
                           long[]? inputShape = null, string? name = null, bool trainable = true)
        : base(2, kernelSize, strides, padding, depthMultiplier, dataFormat, dilationRate, activation, useBias,
               depthwiseInitializer, biasInitializer, inputShape, name, trainable) { }
}
