using Layerwise.Initializers;

namespace Layerwise.Layers;

/// <summary>
/// Keras' <c>ConvLSTM2D</c> over inputs [batch, timesteps, height, width, channels]: kernel
/// [kh, kw, channels, 4·filters], recurrent_kernel [kh, kw, filters, 4·filters], bias [4·filters],
/// gates i, f, c, o (see <see cref="ConvLSTMCell"/>, <see cref="ConvLSTM"/>).
/// </summary>
[Layer(Module = "keras.layers")]
public partial class ConvLSTM2D : ConvLSTM
{
    readonly ConvLSTMCell cell;

    /// <summary>Creates the layer with Keras' arguments and defaults (<c>keras.layers.ConvLSTM2D</c>).</summary>
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
    /// <param name="activation">Activation applied to the output (Keras' <c>activation</c>), by Keras name
    /// (<c>relu</c>, <c>softmax</c>...); <c>linear</c> when none. Null: no activation (<c>linear</c>).</param>
    /// <param name="recurrentActivation">Activation of the gates (Keras' <c>recurrent_activation</c>).</param>
    /// <param name="useBias">Whether the layer adds a bias vector (Keras' <c>use_bias</c>).</param>
    /// <param name="kernelInitializer">Initializer of the kernel weights (Keras' <c>kernel_initializer</c>). Null:
    /// <c>glorot_uniform</c>.</param>
    /// <param name="recurrentInitializer">Initializer of the recurrent kernel (Keras' <c>recurrent_initializer</c>).
    /// Null: <c>orthogonal</c>.</param>
    /// <param name="biasInitializer">Initializer of the bias (Keras' <c>bias_initializer</c>). Null:
    /// <c>zeros</c>.</param>
    /// <param name="unitForgetBias">Whether to add 1 to the forget-gate bias at initialization (Keras'
    /// <c>unit_forget_bias</c>).</param>
    /// <param name="dropout">Fraction of the inputs dropped during training (Keras' <c>dropout</c>).</param>
    /// <param name="recurrentDropout">Fraction of the recurrent state dropped during training (Keras'
    /// <c>recurrent_dropout</c>).</param>
    /// <param name="returnSequences">Whether to return the output of every time step (batch, steps, ...) rather than
    /// only the last one (Keras' <c>return_sequences</c>).</param>
    /// <param name="returnState">Keras' <c>return_state</c>; only false is supported (true throws
    /// <see cref="ArgumentException"/>).</param>
    /// <param name="goBackwards">Whether to read the sequence backwards and return the reversed sequence (Keras'
    /// <c>go_backwards</c>).</param>
    /// <param name="stateful">Keras' <c>stateful</c> (states carried across batches); only false is supported (true
    /// throws <see cref="ArgumentException"/>).</param>
    /// <param name="unroll">Keras' <c>unroll</c>: kept for the config only (the loop runs step by step either
    /// way).</param>
    /// <param name="inputShape">Per-sample input shape (batch left out; -1 for an unknown dimension), Keras'
    /// <c>input_shape</c>: lets a model build this layer before the first call. Null: built from the first
    /// input.</param>
    /// <param name="name">Layer name (Keras' <c>name</c>), unique within a model; weight paths in saved files start
    /// with it. Null: Keras' automatic name (snake_case class name plus a counter, e.g. <c>dense_1</c>).</param>
    /// <param name="trainable">Whether training updates this layer's weights (Keras' <c>trainable</c>).</param>
    public ConvLSTM2D(int filters, int[] kernelSize, int[]? strides = null, string padding = "valid", string? dataFormat = null, int[]? dilationRate = null,
                      string? activation = "tanh", string? recurrentActivation = "sigmoid", bool useBias = true,
                      Initializer? kernelInitializer = null, Initializer? recurrentInitializer = null, Initializer? biasInitializer = null,
                      bool unitForgetBias = true, double dropout = 0.0, double recurrentDropout = 0.0,
                      bool returnSequences = false, bool returnState = false, bool goBackwards = false, bool stateful = false, bool unroll = false,
                      long[]? inputShape = null, string? name = null, bool trainable = true)
        : base(returnSequences, returnState, goBackwards, stateful, unroll, inputShape, name, trainable)
    {
        cell = new ConvLSTMCell(2, filters, kernelSize, strides, padding, dataFormat, dilationRate, activation, recurrentActivation, useBias,
                                kernelInitializer, recurrentInitializer, biasInitializer, unitForgetBias, dropout, recurrentDropout,
                                name: Name + "_cell", trainable: trainable);
    }

    /// <inheritdoc/>
    public override ConvLSTMCell CellLayer => cell;
}
