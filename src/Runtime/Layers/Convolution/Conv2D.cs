using Layerwise.Initializers;

namespace Layerwise.Layers;

/// <summary>
/// Keras' <c>Conv2D</c>: a 2-D convolution (see <see cref="BaseConv"/>): kernel of shape
/// [kernel_h, kernel_w, in_channels / groups, filters], inputs <c>channels_last</c> (NHWC) by default or
/// <c>channels_first</c>, padding <c>valid</c> or <c>same</c> (TensorFlow's split: the odd pixel goes after), strides, dilation and groups.
/// </summary>
[Layer(Module = "keras.layers")]
public partial class Conv2D : BaseConv
{
    public Conv2D(int filters, int[] kernelSize, int[]? strides = null, string padding = "valid", string? dataFormat = null,
                  int[]? dilationRate = null, int groups = 1, string? activation = null, bool useBias = true,
                  Initializer? kernelInitializer = null, Initializer? biasInitializer = null,
                  long[]? inputShape = null, string? name = null, bool trainable = true)
        : base(2, filters, kernelSize, strides, padding, dataFormat, dilationRate, groups, activation, useBias,
               kernelInitializer, biasInitializer, inputShape, name, trainable) { }
}
