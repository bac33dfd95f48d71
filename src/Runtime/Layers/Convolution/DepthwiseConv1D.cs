using Layerwise.Initializers;

namespace Layerwise.Layers;

/// <summary>
/// Keras' <c>DepthwiseConv1D</c>: a depthwise convolution along the time axis (see <see cref="BaseDepthwiseConv"/>): <c>depthwise_kernel</c> of
/// shape [kernel_size, in_channels, depth_multiplier], inputs <c>channels_last</c> (batch, steps, channels) by default or <c>channels_first</c>.
/// </summary>
[Layer(Module = "keras.layers")]
public partial class DepthwiseConv1D : BaseDepthwiseConv
{
    /// <summary>Creates the layer with Keras' arguments and defaults (<c>keras.layers.DepthwiseConv1D</c>).</summary>
    /// <param name="kernelSize">Size of the convolution window per spatial axis (Keras' <c>kernel_size</c>); one value
    /// applies to every axis.</param>
    /// <param name="strides">Step of the window per spatial axis (Keras' <c>strides</c>); one value applies to every
    /// axis. Null: 1 on every axis.</param>
    /// <param name="padding">Keras' <c>padding</c>: <c>valid</c> (no padding) or <c>same</c> (output size = input size
    /// / stride, TensorFlow's split: the odd pixel goes after); 1-D convolutions also take <c>causal</c>.</param>
    /// <param name="depthMultiplier">Output channels per input channel of the depthwise step (Keras'
    /// <c>depth_multiplier</c>).</param>
    /// <param name="dataFormat">Keras' <c>data_format</c>: <c>channels_last</c> (batch, spatial..., channels) or
    /// <c>channels_first</c> (batch, channels, spatial...). Null: <c>channels_last</c>.</param>
    /// <param name="dilationRate">Dilation of the window per spatial axis (Keras' <c>dilation_rate</c>); Keras refuses
    /// a rate above 1 together with strides above 1. Null: 1 on every axis.</param>
    /// <param name="activation">Activation applied to the output (Keras' <c>activation</c>), by Keras name
    /// (<c>relu</c>, <c>softmax</c>...); <c>linear</c> when none. Null: no activation (<c>linear</c>).</param>
    /// <param name="useBias">Whether the layer adds a bias vector (Keras' <c>use_bias</c>).</param>
    /// <param name="depthwiseInitializer">Initializer of the depthwise kernel (Keras' <c>depthwise_initializer</c>).
    /// Null: <c>glorot_uniform</c>.</param>
    /// <param name="biasInitializer">Initializer of the bias (Keras' <c>bias_initializer</c>). Null:
    /// <c>zeros</c>.</param>
    /// <param name="inputShape">Per-sample input shape (batch left out; -1 for an unknown dimension), Keras'
    /// <c>input_shape</c>: lets a model build this layer before the first call. Null: built from the first
    /// input.</param>
    /// <param name="name">Layer name (Keras' <c>name</c>), unique within a model; weight paths in saved files start
    /// with it. Null: Keras' automatic name (snake_case class name plus a counter, e.g. <c>dense_1</c>).</param>
    /// <param name="trainable">Whether training updates this layer's weights (Keras' <c>trainable</c>).</param>
    public DepthwiseConv1D(int[] kernelSize, int[]? strides = null, string padding = "valid", int depthMultiplier = 1, string? dataFormat = null,
                           int[]? dilationRate = null, string? activation = null, bool useBias = true,
                           Initializer? depthwiseInitializer = null, Initializer? biasInitializer = null,
                           long[]? inputShape = null, string? name = null, bool trainable = true)
        : base(1, kernelSize, strides, padding, depthMultiplier, dataFormat, dilationRate, activation, useBias,
               depthwiseInitializer, biasInitializer, inputShape, name, trainable) { }
}
