using Layerwise.Initializers;

namespace Layerwise.Layers;

/// <summary>
/// Keras' <c>LSTM</c> over inputs [batch, timesteps, features] (see <see cref="LSTMCell"/> for the
/// step and the weight layout, <see cref="RecurrentLayer"/> for the sequence). The recurrent
/// activation defaults to <c>sigmoid</c> (tf.keras 2 and Keras 3); Keras 1 and Keras 2 up to 2.3
/// defaulted to <c>hard_sigmoid</c>, which their configs always name.
/// </summary>
[Layer(Module = "keras.layers")]
public partial class LSTM : RecurrentLayer
{
    readonly LSTMCell cell;

    /// <summary>Creates the layer with Keras' arguments and defaults (<c>keras.layers.LSTM</c>).</summary>
    /// <param name="units">Dimensionality of the output space (Keras' <c>units</c>).</param>
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
    public LSTM(int units, string? activation = "tanh", string? recurrentActivation = "sigmoid", bool useBias = true,
                Initializer? kernelInitializer = null, Initializer? recurrentInitializer = null, Initializer? biasInitializer = null,
                bool unitForgetBias = true, double dropout = 0.0, double recurrentDropout = 0.0,
                bool returnSequences = false, bool returnState = false, bool goBackwards = false, bool stateful = false, bool unroll = false,
                long[]? inputShape = null, string? name = null, bool trainable = true)
        : base(returnSequences, returnState, goBackwards, stateful, unroll, inputShape, name, trainable)
    {
        cell = new LSTMCell(units, activation, recurrentActivation, useBias, kernelInitializer, recurrentInitializer, biasInitializer,
                            unitForgetBias, dropout, recurrentDropout, name: Name + "_cell", trainable: trainable);
    }

    /// <summary>Dimensionality of the output space (Keras' <c>units</c>).</summary>
    public int Units => cell.Units;
    /// <summary>
    /// Activation applied to the output (Keras' <c>activation</c>), by Keras name (<c>relu</c>, <c>softmax</c>...);
    /// <c>linear</c> when none.
    /// </summary>
    public string Activation => cell.Activation;
    /// <summary>Activation of the gates (Keras' <c>recurrent_activation</c>).</summary>
    public string RecurrentActivation => cell.RecurrentActivation;
    /// <summary>Whether the layer adds a bias vector (Keras' <c>use_bias</c>).</summary>
    public bool UseBias => cell.UseBias;
    /// <summary>Initializer of the kernel weights (Keras' <c>kernel_initializer</c>).</summary>
    public Initializer KernelInitializer => cell.KernelInitializer;
    /// <summary>Initializer of the recurrent kernel (Keras' <c>recurrent_initializer</c>).</summary>
    public Initializer RecurrentInitializer => cell.RecurrentInitializer;
    /// <summary>Initializer of the bias (Keras' <c>bias_initializer</c>).</summary>
    public Initializer BiasInitializer => cell.BiasInitializer;
    /// <summary>Whether to add 1 to the forget-gate bias at initialization (Keras' <c>unit_forget_bias</c>).</summary>
    public bool UnitForgetBias => cell.UnitForgetBias;
    /// <summary>Fraction of the inputs dropped during training (Keras' <c>dropout</c>).</summary>
    public double Dropout => cell.Dropout;
    /// <summary>Fraction of the recurrent state dropped during training (Keras' <c>recurrent_dropout</c>).</summary>
    public double RecurrentDropout => cell.RecurrentDropout;

    /// <summary>The cell holding kernel, recurrent_kernel and bias.</summary>
    public LSTMCell CellLayer => cell;

    /// <inheritdoc/>
    protected override RecurrentCell Cell => cell;
}
