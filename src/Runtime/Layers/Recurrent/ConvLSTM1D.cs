using Layerwise.Initializers;

namespace Layerwise.Layers;

/// <summary>
/// Keras' <c>ConvLSTM1D</c> over inputs [batch, timesteps, length, channels]: kernel
/// [k, channels, 4·filters], recurrent_kernel [k, filters, 4·filters], bias [4·filters],
/// gates i, f, c, o (see <see cref="ConvLSTMCell"/>, <see cref="ConvLSTM"/>).
/// </summary>
[Layer(Module = "keras.layers")]
public partial class ConvLSTM1D : ConvLSTM
{
    readonly ConvLSTMCell cell;

    public ConvLSTM1D(int filters, int[] kernelSize, int[]? strides = null, string padding = "valid", string? dataFormat = null, int[]? dilationRate = null,
                      string? activation = "tanh", string? recurrentActivation = "sigmoid", bool useBias = true,
                      Initializer? kernelInitializer = null, Initializer? recurrentInitializer = null, Initializer? biasInitializer = null,
                      bool unitForgetBias = true, double dropout = 0.0, double recurrentDropout = 0.0,
                      bool returnSequences = false, bool returnState = false, bool goBackwards = false, bool stateful = false, bool unroll = false,
                      long[]? inputShape = null, string? name = null, bool trainable = true)
        : base(returnSequences, returnState, goBackwards, stateful, unroll, inputShape, name, trainable)
    {
        cell = new ConvLSTMCell(1, filters, kernelSize, strides, padding, dataFormat, dilationRate, activation, recurrentActivation, useBias,
                                kernelInitializer, recurrentInitializer, biasInitializer, unitForgetBias, dropout, recurrentDropout,
                                name: Name + "_cell", trainable: trainable);
    }

    public override ConvLSTMCell CellLayer => cell;
}
