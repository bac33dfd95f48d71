using Layerwise.Initializers;

namespace Layerwise.Layers;

/// <summary>
/// Keras' <c>Conv1D</c>: a convolution along the time axis (see <see cref="BaseConv"/>): kernel of shape
/// [kernel_size, in_channels / groups, filters], inputs <c>channels_last</c> (batch, steps, channels) by default or
/// <c>channels_first</c>, padding <c>valid</c>, <c>same</c> (TensorFlow's split: the odd step goes after) or <c>causal</c> (dilation · (kernel − 1) steps before, none after), strides, dilation and groups.
/// </summary>
[Layer(Module = "keras.layers")]
public partial class Conv1D : BaseConv
{
    public Conv1D(int filters, int[] kernelSize, int[]? strides = null, string padding = "valid", string? dataFormat = null,
                  int[]? dilationRate = null, int groups = 1, string? activation = null, bool useBias = true,
                  Initializer? kernelInitializer = null, Initializer? biasInitializer = null,
                  long[]? inputShape = null, string? name = null, bool trainable = true)
        : base(1, filters, kernelSize, strides, padding, dataFormat, dilationRate, groups, activation, useBias,
               kernelInitializer, biasInitializer, inputShape, name, trainable) { }
}
