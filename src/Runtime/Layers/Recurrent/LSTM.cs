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

    public int Units => cell.Units;
    public string Activation => cell.Activation;
    public string RecurrentActivation => cell.RecurrentActivation;
    public bool UseBias => cell.UseBias;
    public Initializer KernelInitializer => cell.KernelInitializer;
    public Initializer RecurrentInitializer => cell.RecurrentInitializer;
    public Initializer BiasInitializer => cell.BiasInitializer;
    public bool UnitForgetBias => cell.UnitForgetBias;
    public double Dropout => cell.Dropout;
    public double RecurrentDropout => cell.RecurrentDropout;

    /// <summary>The cell holding kernel, recurrent_kernel and bias.</summary>
    public LSTMCell CellLayer => cell;

    protected override RecurrentCell Cell => cell;
}
