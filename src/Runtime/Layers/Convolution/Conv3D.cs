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
    /// <summary>Creates the layer with Keras' arguments and defaults (<c>keras.layers.Conv3D</c>).</summary>
    /// <param name="filters">Number of output channels (Keras' <c>filters</c>).</param>
    /// <param name="kernelSize">Size of the convolution window per spatial axis (Keras' <c>kernel_size</c>); one value
    /// applies to every axis.</param>
    /// <param name="strides">Step of the window per spatial axis (Keras' <c>strides</c>); one value applies to every
    /// axis. Null: 1 on every axis.</param>
    /// <param name="padding">Keras' <c>padding</c>: <c>valid</c> (no padding) or <c>same</c> (output size = input size
    /// / stride, TensorFlow's split: the odd pixel goes after); 1-D convolutions also take <c>causal</c>.</param>
    /// <param name="dataFormat">Keras' <c>data_format</c>: <c>channels_last</c> (batch, spatial..., channels) or
    /// <c>channels_first</c> (batch, channels, spatial...). Null: <c>channels_last</c>.</param>
    /// <param name="dilationRate">Dilation of the window per spatial axis (Keras' <c>dilation_rate</c>); Keras refuses
    /// a rate above 1 together with strides above 1. Null: 1 on every axis.</param>
    /// <param name="groups">Number of channel groups convolved separately (Keras' <c>groups</c>); must divide both the
    /// input channels and <c>filters</c>.</param>
    /// <param name="activation">Activation applied to the output (Keras' <c>activation</c>), by Keras name
    /// (<c>relu</c>, <c>softmax</c>...); <c>linear</c> when none. Null: no activation (<c>linear</c>).</param>
    /// <param name="useBias">Whether the layer adds a bias vector (Keras' <c>use_bias</c>).</param>
    /// <param name="kernelInitializer">Initializer of the kernel weights (Keras' <c>kernel_initializer</c>). Null:
    /// <c>glorot_uniform</c>.</param>
    /// <param name="biasInitializer">Initializer of the bias (Keras' <c>bias_initializer</c>). Null:
    /// <c>zeros</c>.</param>
    /// <param name="inputShape">Per-sample input shape (batch left out; -1 for an unknown dimension), Keras'
    /// <c>input_shape</c>: lets a model build this layer before the first call. Null: built from the first
    /// input.</param>
    /// <param name="name">Layer name (Keras' <c>name</c>), unique within a model; weight paths in saved files start
    /// with it. Null: Keras' automatic name (snake_case class name plus a counter, e.g. <c>dense_1</c>).</param>
    /// <param name="trainable">Whether training updates this layer's weights (Keras' <c>trainable</c>).</param>
    public Conv3D(int filters, int[] kernelSize, int[]? strides = null, string padding = "valid", string? dataFormat = null,
                  int[]? dilationRate = null, int groups = 1, string? activation = null, bool useBias = true,
                  Initializer? kernelInitializer = null, Initializer? biasInitializer = null,
                  long[]? inputShape = null, string? name = null, bool trainable = true)
        : base(3, filters, kernelSize, strides, padding, dataFormat, dilationRate, groups, activation, useBias,
               kernelInitializer, biasInitializer, inputShape, name, trainable) { }
}
