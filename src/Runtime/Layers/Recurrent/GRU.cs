using Layerwise.Initializers;

namespace Layerwise.Layers;

/// <summary>
/// Keras' <c>GRU</c> over inputs [batch, timesteps, features] (see <see cref="GRUCell"/> for the step,
/// the gate order z, r, h and the weight layout, <see cref="RecurrentLayer"/> for the sequence).
/// Defaults are Keras 2.3+/3's: <c>recurrent_activation="sigmoid"</c>, <c>reset_after=true</c>
/// (bias [2, 3·units]). Keras 1 and Keras 2 up to 2.2 defaulted to <c>hard_sigmoid</c> and
/// <c>reset_after=false</c>; their configs name the activation, and a config without
/// <c>reset_after</c> is read with Keras' current default, as Keras reads it.
/// </summary>
[Layer(Module = "keras.layers")]
public partial class GRU : RecurrentLayer
{
    readonly GRUCell cell;

    public GRU(int units, string? activation = "tanh", string? recurrentActivation = "sigmoid", bool useBias = true,
               Initializer? kernelInitializer = null, Initializer? recurrentInitializer = null, Initializer? biasInitializer = null,
               double dropout = 0.0, double recurrentDropout = 0.0,
               bool returnSequences = false, bool returnState = false, bool goBackwards = false, bool stateful = false, bool unroll = false,
               bool resetAfter = true, long[]? inputShape = null, string? name = null, bool trainable = true)
        : base(returnSequences, returnState, goBackwards, stateful, unroll, inputShape, name, trainable)
    {
        cell = new GRUCell(units, activation, recurrentActivation, useBias, kernelInitializer, recurrentInitializer, biasInitializer,
                           dropout, recurrentDropout, resetAfter, name: Name + "_cell", trainable: trainable);
    }

    public int Units => cell.Units;
    public string Activation => cell.Activation;
    public string RecurrentActivation => cell.RecurrentActivation;
    public bool UseBias => cell.UseBias;
    public Initializer KernelInitializer => cell.KernelInitializer;
    public Initializer RecurrentInitializer => cell.RecurrentInitializer;
    public Initializer BiasInitializer => cell.BiasInitializer;
    public double Dropout => cell.Dropout;
    public double RecurrentDropout => cell.RecurrentDropout;
    public bool ResetAfter => cell.ResetAfter;

    /// <summary>The cell holding kernel, recurrent_kernel and bias.</summary>
    public GRUCell CellLayer => cell;

    protected override RecurrentCell Cell => cell;
}
