using Layerwise.Initializers;

namespace Layerwise.Layers;

/// <summary>Keras 2's <c>LocallyConnected1D</c>: an unshared-weights convolution along the time axis of (batch, steps, channels) (see <see cref="BaseLocallyConnected"/>).</summary>
[Layer(Module = "keras.layers")]
public partial class LocallyConnected1D : BaseLocallyConnected
{
    /// <summary>
    /// Creates the layer with Keras' arguments and defaults (<c>keras.layers.LocallyConnected1D</c>).
    /// </summary>
    /// <param name="filters">Number of output channels (Keras' <c>filters</c>).</param>
    /// <param name="kernelSize">Size of the convolution window per spatial axis (Keras' <c>kernel_size</c>); one value
    /// applies to every axis.</param>
    /// <param name="strides">Step of the window per spatial axis (Keras' <c>strides</c>); one value applies to every
    /// axis. Null: 1 on every axis.</param>
    /// <param name="padding">Keras' <c>padding</c>; only <c>valid</c> is supported (as in Keras).</param>
    /// <param name="dataFormat">Keras' <c>data_format</c>: <c>channels_last</c> or <c>channels_first</c>. Null:
    /// <c>channels_last</c>.</param>
    /// <param name="activation">Activation applied to the output (Keras' <c>activation</c>), by Keras name
    /// (<c>relu</c>, <c>softmax</c>...); <c>linear</c> when none. Null: no activation (<c>linear</c>).</param>
    /// <param name="useBias">Whether the layer adds a bias vector (Keras' <c>use_bias</c>).</param>
    /// <param name="kernelInitializer">Initializer of the kernel weights (Keras' <c>kernel_initializer</c>). Null:
    /// <c>glorot_uniform</c>.</param>
    /// <param name="biasInitializer">Initializer of the bias (Keras' <c>bias_initializer</c>). Null:
    /// <c>zeros</c>.</param>
    /// <param name="implementation">Keras' kernel layout; only 1 (the layout files hold) is supported.</param>
    /// <param name="inputShape">Per-sample input shape (batch left out; -1 for an unknown dimension), Keras'
    /// <c>input_shape</c>: lets a model build this layer before the first call. Null: built from the first
    /// input.</param>
    /// <param name="name">Layer name (Keras' <c>name</c>), unique within a model; weight paths in saved files start
    /// with it. Null: Keras' automatic name (snake_case class name plus a counter, e.g. <c>dense_1</c>).</param>
    /// <param name="trainable">Whether training updates this layer's weights (Keras' <c>trainable</c>).</param>
    public LocallyConnected1D(int filters, int[] kernelSize, int[]? strides = null, string padding = "valid", string? dataFormat = null,
                              string? activation = null, bool useBias = true, Initializer? kernelInitializer = null,
                              Initializer? biasInitializer = null, int implementation = 1,
                              long[]? inputShape = null, string? name = null, bool trainable = true)
        : base(1, filters, kernelSize, strides, padding, dataFormat, activation, useBias, kernelInitializer, biasInitializer,
               implementation, inputShape, name, trainable) { }
}
