using Layerwise.Initializers;

namespace Layerwise.Layers;

/// <summary>
/// Keras' <c>Conv1DTranspose</c>: the transposed convolution along the time axis (see <see cref="BaseConvTranspose"/>): kernel of shape
/// [kernel_size, filters, in_channels], inputs <c>channels_last</c> (batch, steps, channels) by default or <c>channels_first</c>.
/// </summary>
[Layer(Module = "keras.layers")]
public partial class Conv1DTranspose : BaseConvTranspose
{
    /// <summary>Creates the layer with Keras' arguments and defaults (<c>keras.layers.Conv1DTranspose</c>).</summary>
    /// <param name="filters">Number of output channels (Keras' <c>filters</c>).</param>
    /// <param name="kernelSize">Size of the convolution window per spatial axis (Keras' <c>kernel_size</c>); one value
    /// applies to every axis.</param>
    /// <param name="strides">Step of the window per spatial axis (Keras' <c>strides</c>); one value applies to every
    /// axis. Null: 1 on every axis.</param>
    /// <param name="padding">Keras' <c>padding</c>: <c>valid</c> (output = (input - 1) · stride + kernel) or
    /// <c>same</c> (output = input · stride).</param>
    /// <param name="outputPadding">Extra size added to one side of each spatial output axis (Keras'
    /// <c>output_padding</c>); must be smaller than the stride. Null: inferred, as Keras does.</param>
    /// <param name="dataFormat">Keras' <c>data_format</c>: <c>channels_last</c> (batch, spatial..., channels) or
    /// <c>channels_first</c> (batch, channels, spatial...). Null: <c>channels_last</c>.</param>
    /// <param name="dilationRate">Dilation of the window per spatial axis (Keras' <c>dilation_rate</c>); Keras refuses
    /// a rate above 1 together with strides above 1. Null: 1 on every axis.</param>
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
    public Conv1DTranspose(int filters, int[] kernelSize, int[]? strides = null, string padding = "valid", int[]? outputPadding = null,
                           string? dataFormat = null, int[]? dilationRate = null, string? activation = null, bool useBias = true,
                           Initializer? kernelInitializer = null, Initializer? biasInitializer = null,
                           long[]? inputShape = null, string? name = null, bool trainable = true)
        : base(1, filters, kernelSize, strides, padding, outputPadding, dataFormat, dilationRate, activation, useBias,
               kernelInitializer, biasInitializer, inputShape, name, trainable) { }
}
