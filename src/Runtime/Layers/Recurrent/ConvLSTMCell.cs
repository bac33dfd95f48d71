using Layerwise.Initializers;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Layerwise.Layers;

/// <summary>
/// Keras' <c>ConvLSTMCell</c>: an LSTM step whose products are convolutions, over inputs of
/// <see cref="Rank"/> spatial axes, <c>channels_last</c>. Weights as Keras lays them out, gates i, f, c, o:
/// kernel [kernel..., channels, 4·filters], recurrent_kernel [kernel..., filters, 4·filters], bias [4·filters].
/// A step computes <c>z = conv(x, kernel) + bias + conv_same(h, recurrent_kernel)</c> (the recurrent
/// convolution always pads <c>same</c> with stride 1, as Keras' <c>recurrent_conv</c>), then LSTM's gates.
/// </summary>
[Layer(Module = "keras.layers")]
public partial class ConvLSTMCell : RecurrentCell
{
    readonly Func<Tensor, Tensor> activationFunction, recurrentActivationFunction;
    Variable? kernel, recurrentKernel, bias;

    public ConvLSTMCell(int rank, int filters, int[] kernelSize, int[]? strides = null, string padding = "valid", string? dataFormat = null,
                        int[]? dilationRate = null, string? activation = "tanh", string? recurrentActivation = "sigmoid", bool useBias = true,
                        Initializer? kernelInitializer = null, Initializer? recurrentInitializer = null, Initializer? biasInitializer = null,
                        bool unitForgetBias = true, double dropout = 0.0, double recurrentDropout = 0.0, string? name = null, bool trainable = true)
        : base(filters, dropout, recurrentDropout, name, trainable)
    {
        if (rank is not (1 or 2)) throw new ArgumentOutOfRangeException(nameof(rank), rank, "ConvLSTMCell supports 1 or 2 spatial axes.");
        ArgumentNullException.ThrowIfNull(kernelSize);
        Rank = rank;
        KernelSize = Option(kernelSize, 1, nameof(kernelSize));
        Strides = Option(strides, 1, nameof(strides));
        Padding = ConvolutionArithmetic.Padding(padding);
        DataFormat = ConvolutionArithmetic.DataFormat(dataFormat);
        if (DataFormat != "channels_last")
            throw new ArgumentException($"{GetType().Name} \"{Name}\": data_format=channels_first is not supported; expected channels_last.", nameof(dataFormat));
        DilationRate = Option(dilationRate, 1, nameof(dilationRate));
        if (DilationRate.Any(d => d != 1) && Strides.Any(s => s != 1))
            throw new ArgumentException("Keras does not allow dilation_rate > 1 together with strides > 1.", nameof(dilationRate));
        Activation = Activations.Activations.Normalize(activation);
        activationFunction = Activations.Activations.Get(Activation);
        RecurrentActivation = Activations.Activations.Normalize(recurrentActivation);
        recurrentActivationFunction = Activations.Activations.Get(RecurrentActivation);
        UseBias = useBias;
        KernelInitializer = kernelInitializer ?? new GlorotUniform();
        RecurrentInitializer = recurrentInitializer ?? new Orthogonal();
        BiasInitializer = biasInitializer ?? new Zeros();
        UnitForgetBias = unitForgetBias;
    }

    int[] Option(int[]? values, int defaultValue, string argument) =>
        Rank == 1 ? ConvolutionArithmetic.Single(values, defaultValue, argument) : ConvolutionArithmetic.Pair(values, defaultValue, argument);

    /// <summary>Number of spatial axes: 1 (ConvLSTM1D) or 2 (ConvLSTM2D).</summary>
    public int Rank { get; }
    public int Filters => Units;
    public int[] KernelSize { get; }
    public int[] Strides { get; }
    public string Padding { get; }
    public string DataFormat { get; }
    public int[] DilationRate { get; }
    public string Activation { get; }
    public string RecurrentActivation { get; }
    public bool UseBias { get; }
    public Initializer KernelInitializer { get; }
    public Initializer RecurrentInitializer { get; }
    public Initializer BiasInitializer { get; }
    public bool UnitForgetBias { get; }

    public Variable Kernel => kernel ?? throw new InvalidOperationException($"Layer \"{Name}\" is not built yet.");
    public Variable RecurrentKernel => recurrentKernel ?? throw new InvalidOperationException($"Layer \"{Name}\" is not built yet.");
    public Variable? Bias => bias;

    internal override int StateCount => 2;

    /// <summary>Per-step input shape [spatial..., channels]; the channels must be known.</summary>
    protected override void Build(long[] inputShape)
    {
        if (inputShape.Length != Rank + 1 || inputShape[^1] <= 0)
            throw new IncompatibleShapeException(Name, $"a step of rank {Rank + 2} (batch, {(Rank == 1 ? "length" : "height, width")}, channels) with known channels",
                                                 [-1, .. inputShape]);
        long channels = inputShape[^1];
        kernel = AddWeight("kernel", [.. KernelSize.Select(k => (long)k), channels, 4L * Units], KernelInitializer);
        recurrentKernel = AddWeight("recurrent_kernel", [.. KernelSize.Select(k => (long)k), Units, 4L * Units], RecurrentInitializer);
        if (UseBias)
            bias = AddWeight("bias", [4L * Units], UnitForgetBias ? new LSTMCell.ForgetGateOnes(BiasInitializer, Units) : BiasInitializer);
    }

    /// <summary>The spatial output size of one axis for an input of <paramref name="length"/> (-1 stays unknown).</summary>
    internal long OutputLength(long length, int axis) =>
        length < 0 ? -1 : ConvolutionArithmetic.OutputLength(length, KernelSize[axis], Padding, Strides[axis], DilationRate[axis]);

    /// <summary><c>conv(x, kernel) + bias</c> for inputs [..., spatial..., channels]: [..., spatial'..., 4·filters].</summary>
    internal override Tensor ProjectInputs(Tensor inputs)
    {
        var leading = inputs.shape[..^(Rank + 1)];
        var folded = inputs.reshape([-1, .. inputs.shape[^(Rank + 1)..]]);
        var product = Convolve(folded, Kernel.Value, Strides, DilationRate, Padding);
        if (bias is not null) product = product.add_(bias.Value);
        return product.reshape([.. leading, .. product.shape[1..]]);
    }

    internal override Tensor[] Step(Tensor projected, Tensor[] states, Tensor? recurrentMask)
    {
        var (h, c) = (states[0], states[1]);
        if (recurrentMask is not null) h = h.mul(recurrentMask);
        int[] ones = [.. Enumerable.Repeat(1, Rank)];
        var gates = projected.add(Convolve(h, RecurrentKernel.Value, ones, ones, "same")).chunk(4, -1);
        var i = recurrentActivationFunction(gates[0]);
        var f = recurrentActivationFunction(gates[1]);
        var candidate = activationFunction(gates[2]);
        var o = recurrentActivationFunction(gates[3]);
        var nextC = f.mul(c).add_(i.mul(candidate));
        return [o.mul(activationFunction(nextC)), nextC];
    }

    /// <summary>A channels-last convolution with a Keras kernel [kernel..., in, out], padded as TensorFlow pads.</summary>
    Tensor Convolve(Tensor x, Tensor keras, int[] strides, int[] dilation, string padding)
    {
        if (Rank == 1)
        {
            var ncl = x.permute(0, 2, 1);
            var (before, after) = padding == "same" ? ConvolutionArithmetic.SamePadding(ncl.shape[2], KernelSize[0], strides[0], dilation[0]) : (0, 0);
            if (before + after > 0) ncl = F.pad(ncl, [before, after]);
            var output = ConvolutionOps.Convolve(ncl, keras.permute(2, 1, 0), null, strides, dilation);
            return output.permute(0, 2, 1);
        }
        var nchw = x.permute(0, 3, 1, 2);
        if (padding == "same") nchw = ConvolutionArithmetic.PadSame(nchw, KernelSize, strides, dilation, 0.0) ?? nchw;
        var result = ConvolutionOps.Convolve(nchw, keras.permute(3, 2, 0, 1), null, strides, dilation);
        return result.permute(0, 2, 3, 1);
    }

    public override long[] ComputeOutputShape(long[] inputShape) =>
        [.. Enumerable.Range(0, Rank).Select(axis => OutputLength(inputShape[axis], axis)), Units];
}
