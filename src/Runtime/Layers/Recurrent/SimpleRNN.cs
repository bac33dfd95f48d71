using Layerwise.Initializers;

namespace Layerwise.Layers;

/// <summary>
/// Keras' <c>SimpleRNN</c>: a fully connected recurrence <c>h_t = activation(x_t · kernel + h_{t-1} ·
/// recurrent_kernel + bias)</c> over inputs [batch, timesteps, features] (see <see cref="RecurrentLayer"/>).
/// </summary>
[Layer(Module = "keras.layers")]
public partial class SimpleRNN : RecurrentLayer
{
    readonly SimpleRNNCell cell;

    public SimpleRNN(int units, string? activation = "tanh", bool useBias = true,
                     Initializer? kernelInitializer = null, Initializer? recurrentInitializer = null, Initializer? biasInitializer = null,
                     double dropout = 0.0, double recurrentDropout = 0.0,
                     bool returnSequences = false, bool returnState = false, bool goBackwards = false, bool stateful = false, bool unroll = false,
                     long[]? inputShape = null, string? name = null, bool trainable = true)
        : base(returnSequences, returnState, goBackwards, stateful, unroll, inputShape, name, trainable)
    {
        cell = new SimpleRNNCell(units, activation, useBias, kernelInitializer, recurrentInitializer, biasInitializer,
                                 dropout, recurrentDropout, name: Name + "_cell", trainable: trainable);
    }

    public int Units => cell.Units;
    public string Activation => cell.Activation;
    public bool UseBias => cell.UseBias;
    public Initializer KernelInitializer => cell.KernelInitializer;
    public Initializer RecurrentInitializer => cell.RecurrentInitializer;
    public Initializer BiasInitializer => cell.BiasInitializer;
    public double Dropout => cell.Dropout;
    public double RecurrentDropout => cell.RecurrentDropout;

    /// <summary>The cell holding kernel, recurrent_kernel and bias.</summary>
    public SimpleRNNCell CellLayer => cell;

    protected override RecurrentCell Cell => cell;
}
