using Layerwise.Initializers;

namespace Layerwise.Layers;

/// <summary>
/// Keras' <c>Conv3D</c>: a 3-D convolution over volumes (see <see cref="BaseConv"/>): kernel of shape
/// [kernel_d, kernel_h, kernel_w, in_channels / groups, filters], inputs <c>channels_last</c> (batch, depth, height, width, channels) by default or
/// <c>channels_first</c>, padding <c>valid</c> or <c>same</c> (TensorFlow's split: the odd voxel goes after), strides, dilation and groups.
/// </summary>
[Layer(Module = "keras.layers")]
public partial class Conv3D : BaseConv
{
    public Conv3D(int filters, int[] kernelSize, int[]? strides = null, string padding = "valid", string? dataFormat = null,
                  int[]? dilationRate = null, int groups = 1, string? activation = null, bool useBias = true,
                  Initializer? kernelInitializer = null, Initializer? biasInitializer = null,
                  long[]? inputShape = null, string? name = null, bool trainable = true)
        : base(3, filters, kernelSize, strides, padding, dataFormat, dilationRate, groups, activation, useBias,
               kernelInitializer, biasInitializer, inputShape, name, trainable) { }
}
