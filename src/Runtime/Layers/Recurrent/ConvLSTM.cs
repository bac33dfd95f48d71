using Layerwise.Initializers;

namespace Layerwise.Layers;

/// <summary>
/// Keras' <c>ConvLSTM</c> base of <see cref="ConvLSTM1D"/> and <see cref="ConvLSTM2D"/>: the recurrent
/// loop of <see cref="RecurrentLayer"/> (masks, go_backwards, dropout once per sequence) over a
/// <see cref="ConvLSTMCell"/>, on inputs [batch, timesteps, spatial..., channels] (<c>channels_last</c>;
/// <c>channels_first</c> is refused). Outputs [batch, spatial'..., filters], or with
/// <c>return_sequences</c> [batch, timesteps, spatial'..., filters]. The recurrent activation defaults to
/// <c>sigmoid</c> (Keras 3); tf.keras 2 defaulted to <c>hard_sigmoid</c>, which its configs name.
/// </summary>
public abstract class ConvLSTM : RecurrentLayer
{
    private protected ConvLSTM(bool returnSequences, bool returnState, bool goBackwards, bool stateful, bool unroll,
                               long[]? inputShape, string? name, bool trainable)
        : base(returnSequences, returnState, goBackwards, stateful, unroll, inputShape, name, trainable) { }

    public int Filters => CellLayer.Filters;
    public int[] KernelSize => CellLayer.KernelSize;
    public int[] Strides => CellLayer.Strides;
    public string Padding => CellLayer.Padding;
    public string DataFormat => CellLayer.DataFormat;
    public int[] DilationRate => CellLayer.DilationRate;
    public string Activation => CellLayer.Activation;
    public string RecurrentActivation => CellLayer.RecurrentActivation;
    public bool UseBias => CellLayer.UseBias;
    public Initializer KernelInitializer => CellLayer.KernelInitializer;
    public Initializer RecurrentInitializer => CellLayer.RecurrentInitializer;
    public Initializer BiasInitializer => CellLayer.BiasInitializer;
    public bool UnitForgetBias => CellLayer.UnitForgetBias;
    public double Dropout => CellLayer.Dropout;
    public double RecurrentDropout => CellLayer.RecurrentDropout;

    /// <summary>The cell holding kernel, recurrent_kernel and bias (a field of the concrete layer, so that it is tracked as <c>cell</c>).</summary>
    public abstract ConvLSTMCell CellLayer { get; }

    protected override RecurrentCell Cell => CellLayer;

    int Rank => CellLayer.Rank;

    /// <summary>Per-sample [timesteps, spatial..., channels]: steps known or -1, spatial sizes known or -1, channels known.</summary>
    protected override void Build(long[] inputShape)
    {
        if (inputShape.Length != Rank + 2 || inputShape[0] is 0 or < -1)
            throw new IncompatibleShapeException(Name, $"an input of rank {Rank + 3} (batch, timesteps, {(Rank == 1 ? "length" : "height, width")}, channels) with at least one step",
                                                 [-1, .. inputShape]);
        CellLayer.EnsureBuilt(inputShape[1..]);
    }

    /// <summary>Any number of steps; spatial sizes and channels as built (a -1 accepts any size).</summary>
    protected override void CheckInputShape(long[] batchShape)
    {
        var built = BuildInputShape!;
        bool fits = batchShape.Length == built.Length + 1 && batchShape[1] > 0
                    && built.Skip(1).Zip(batchShape.Skip(2)).All(p => p.First == -1 || p.First == p.Second);
        if (!fits)
            throw new IncompatibleShapeException(Name, $"shape (None, None, {string.Join(", ", built.Skip(1).Select(d => d < 0 ? "None" : d.ToString()))}) with at least one time step", batchShape);
    }

    public override long[] ComputeOutputShape(long[] inputShape)
    {
        var step = CellLayer.ComputeOutputShape(inputShape[1..]);
        return ReturnSequences ? [inputShape[0], .. step] : step;
    }
}
