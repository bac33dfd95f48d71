using Layerwise.Initializers;
using static TorchSharp.torch;

namespace Layerwise.Layers;

/// <summary>
/// Keras' <c>ConvLSTM</c> base of <see cref="ConvLSTM1D"/> and <see cref="ConvLSTM2D"/>: the recurrent
/// loop of <see cref="RecurrentLayer"/> (masks, go_backwards, dropout once per sequence) over a
/// <see cref="ConvLSTMCell"/>, on inputs [batch, timesteps, spatial..., channels] (<c>channels_last</c>) or
/// [batch, timesteps, channels, spatial...] (<c>channels_first</c>: transposed to channels_last around the loop;
/// the weights are the same either way, as in Keras). Outputs [batch, spatial'..., filters] (channels_first:
/// [batch, filters, spatial'...]), with <c>return_sequences</c> a timesteps axis after the batch. The recurrent activation defaults to
/// <c>sigmoid</c> (Keras 3); tf.keras 2 defaulted to <c>hard_sigmoid</c>, which its configs name.
/// </summary>
public abstract class ConvLSTM : RecurrentLayer
{
    private protected ConvLSTM(bool returnSequences, bool returnState, bool goBackwards, bool stateful, bool unroll,
                               long[]? inputShape, string? name, bool trainable)
        : base(returnSequences, returnState, goBackwards, stateful, unroll, inputShape, name, trainable) { }

    /// <summary>Number of output channels (Keras' <c>filters</c>).</summary>
    public int Filters => CellLayer.Filters;
    /// <summary>
    /// Size of the convolution window per spatial axis (Keras' <c>kernel_size</c>); one value applies to every axis.
    /// </summary>
    public int[] KernelSize => CellLayer.KernelSize;
    /// <summary>Step of the window per spatial axis (Keras' <c>strides</c>); one value applies to every axis.</summary>
    public int[] Strides => CellLayer.Strides;
    /// <summary>
    /// Keras' <c>padding</c>: <c>valid</c> (no padding) or <c>same</c> (output size = input size / stride, TensorFlow's
    /// split: the odd pixel goes after); 1-D convolutions also take <c>causal</c>.
    /// </summary>
    public string Padding => CellLayer.Padding;
    /// <summary>
    /// Keras' <c>data_format</c>: <c>channels_last</c> (batch, spatial..., channels) or <c>channels_first</c> (batch,
    /// channels, spatial...).
    /// </summary>
    public string DataFormat => CellLayer.DataFormat;
    /// <summary>
    /// Dilation of the window per spatial axis (Keras' <c>dilation_rate</c>); Keras refuses a rate above 1 together
    /// with strides above 1.
    /// </summary>
    public int[] DilationRate => CellLayer.DilationRate;
    /// <summary>
    /// Activation applied to the output (Keras' <c>activation</c>), by Keras name (<c>relu</c>, <c>softmax</c>...);
    /// <c>linear</c> when none.
    /// </summary>
    public string Activation => CellLayer.Activation;
    /// <summary>Activation of the gates (Keras' <c>recurrent_activation</c>).</summary>
    public string RecurrentActivation => CellLayer.RecurrentActivation;
    /// <summary>Whether the layer adds a bias vector (Keras' <c>use_bias</c>).</summary>
    public bool UseBias => CellLayer.UseBias;
    /// <summary>Initializer of the kernel weights (Keras' <c>kernel_initializer</c>).</summary>
    public Initializer KernelInitializer => CellLayer.KernelInitializer;
    /// <summary>Initializer of the recurrent kernel (Keras' <c>recurrent_initializer</c>).</summary>
    public Initializer RecurrentInitializer => CellLayer.RecurrentInitializer;
    /// <summary>Initializer of the bias (Keras' <c>bias_initializer</c>).</summary>
    public Initializer BiasInitializer => CellLayer.BiasInitializer;
    /// <summary>Whether to add 1 to the forget-gate bias at initialization (Keras' <c>unit_forget_bias</c>).</summary>
    public bool UnitForgetBias => CellLayer.UnitForgetBias;
    /// <summary>Fraction of the inputs dropped during training (Keras' <c>dropout</c>).</summary>
    public double Dropout => CellLayer.Dropout;
    /// <summary>Fraction of the recurrent state dropped during training (Keras' <c>recurrent_dropout</c>).</summary>
    public double RecurrentDropout => CellLayer.RecurrentDropout;

    /// <summary>The cell holding kernel, recurrent_kernel and bias (a field of the concrete layer, so that it is tracked as <c>cell</c>).</summary>
    public abstract ConvLSTMCell CellLayer { get; }

    /// <inheritdoc/>
    protected override RecurrentCell Cell => CellLayer;

    int Rank => CellLayer.Rank;

    bool ChannelsFirst => DataFormat == "channels_first";

    /// <summary>A step's per-sample shape as the cell computes it: channels last.</summary>
    long[] ToChannelsLast(long[] step) => ChannelsFirst ? [.. step[1..], step[0]] : step;

    /// <summary>A step's per-sample shape in the layer's data format, from the cell's channels-last one.</summary>
    long[] FromChannelsLast(long[] step) => ChannelsFirst ? [step[^1], .. step[..^1]] : step;

    /// <summary>Per-sample [timesteps, spatial..., channels] (channels_first: [timesteps, channels, spatial...]): steps known or -1, spatial sizes known or -1, channels known.</summary>
    protected override void Build(long[] inputShape)
    {
        if (inputShape.Length != Rank + 2 || inputShape[0] is 0 or < -1)
        {
            var axes = Rank == 1 ? "length" : "height, width";
            throw new IncompatibleShapeException(Name, $"an input of rank {Rank + 3} (batch, timesteps, {(ChannelsFirst ? "channels, " + axes : axes + ", channels")}) with at least one step",
                                                 [-1, .. inputShape]);
        }
        CellLayer.EnsureBuilt(ToChannelsLast(inputShape[1..]));
    }

    /// <inheritdoc/>
    public override Tensor Call(Tensor inputs, Tensor? mask, bool training = false)
    {
        if (!ChannelsFirst) return base.Call(inputs, mask, training);
        // [batch, steps, channels, spatial...] → channels last for the loop, and the output back.
        int rank = (int)inputs.dim();
        using var channelsLast = inputs.permute([0, 1, .. Enumerable.Range(3, rank - 3).Select(a => (long)a), 2]);
        using var output = base.Call(channelsLast, mask, training);
        int outRank = (int)output.dim(), first = ReturnSequences ? 2 : 1;
        using var back = output.permute([.. Enumerable.Range(0, first).Select(a => (long)a), outRank - 1, .. Enumerable.Range(first, outRank - 1 - first).Select(a => (long)a)]);
        return back.contiguous();
    }

    /// <summary>Any number of steps; spatial sizes and channels as built (a -1 accepts any size).</summary>
    internal override void CheckSequenceShape(long[] batchShape, string user)
    {
        var built = BuildInputShape!;
        bool fits = batchShape.Length == built.Length + 1 && batchShape[1] > 0
                    && built.Skip(1).Zip(batchShape.Skip(2)).All(p => p.First == -1 || p.First == p.Second);
        if (!fits)
            throw new IncompatibleShapeException(user, $"shape (None, None, {string.Join(", ", built.Skip(1).Select(d => d < 0 ? "None" : d.ToString()))}) with at least one time step", batchShape);
    }

    /// <inheritdoc/>
    public override long[] ComputeOutputShape(long[] inputShape)
    {
        var step = FromChannelsLast(CellLayer.ComputeOutputShape(ToChannelsLast(inputShape[1..])));
        return ReturnSequences ? [inputShape[0], .. step] : step;
    }
}
