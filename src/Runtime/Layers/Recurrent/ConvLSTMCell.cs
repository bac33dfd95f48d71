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

    /// <summary>Creates the layer with Keras' arguments and defaults (<c>keras.layers.ConvLSTMCell</c>).</summary>
    /// <param name="rank">Number of spatial axes of each step's input (1 or 2).</param>
    /// <param name="filters">Number of output channels (Keras' <c>filters</c>).</param>
    /// <param name="kernelSize">Size of the convolution window per spatial axis (Keras' <c>kernel_size</c>); one value
    /// applies to every axis.</param>
    /// <param name="strides">Step of the window per spatial axis (Keras' <c>strides</c>); one value applies to every
    /// axis. Null: 1 on every axis.</param>
    /// <param name="padding">Keras' <c>padding</c>: <c>valid</c> (no padding) or <c>same</c> (output size = input size
    /// / stride, TensorFlow's split: the odd pixel goes after); 1-D convolutions also take <c>causal</c>.</param>
    /// <param name="dataFormat">Keras' <c>data_format</c>: <c>channels_last</c> (batch, spatial..., channels) or
    /// <c>channels_first</c> (batch, channels, spatial...). Null: <c>channels_last</c>. The cell always computes on
    /// channels-last steps; its <see cref="ConvLSTM"/> layer transposes channels_first inputs and outputs around it.</param>
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
    /// <param name="name">Layer name (Keras' <c>name</c>), unique within a model; weight paths in saved files start
    /// with it. Null: Keras' automatic name (snake_case class name plus a counter, e.g. <c>dense_1</c>).</param>
    /// <param name="trainable">Whether training updates this layer's weights (Keras' <c>trainable</c>).</param>
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
        // The cell itself computes on channels_last steps; a channels_first ConvLSTM layer transposes around it.
        DataFormat = ConvolutionArithmetic.DataFormat(dataFormat);
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
    /// <summary>Number of output channels (Keras' <c>filters</c>).</summary>
    public int Filters => Units;
    /// <summary>
    /// Size of the convolution window per spatial axis (Keras' <c>kernel_size</c>); one value applies to every axis.
    /// </summary>
    public int[] KernelSize { get; }
    /// <summary>Step of the window per spatial axis (Keras' <c>strides</c>); one value applies to every axis.</summary>
    public int[] Strides { get; }
    /// <summary>
    /// Keras' <c>padding</c>: <c>valid</c> (no padding) or <c>same</c> (output size = input size / stride, TensorFlow's
    /// split: the odd pixel goes after); 1-D convolutions also take <c>causal</c>.
    /// </summary>
    public string Padding { get; }
    /// <summary>
    /// Keras' <c>data_format</c>: <c>channels_last</c> (batch, spatial..., channels) or <c>channels_first</c> (batch,
    /// channels, spatial...).
    /// </summary>
    public string DataFormat { get; }
    /// <summary>
    /// Dilation of the window per spatial axis (Keras' <c>dilation_rate</c>); Keras refuses a rate above 1 together
    /// with strides above 1.
    /// </summary>
    public int[] DilationRate { get; }
    /// <summary>
    /// Activation applied to the output (Keras' <c>activation</c>), by Keras name (<c>relu</c>, <c>softmax</c>...);
    /// <c>linear</c> when none.
    /// </summary>
    public string Activation { get; }
    /// <summary>Activation of the gates (Keras' <c>recurrent_activation</c>).</summary>
    public string RecurrentActivation { get; }
    /// <summary>Whether the layer adds a bias vector (Keras' <c>use_bias</c>).</summary>
    public bool UseBias { get; }
    /// <summary>Initializer of the kernel weights (Keras' <c>kernel_initializer</c>).</summary>
    public Initializer KernelInitializer { get; }
    /// <summary>Initializer of the recurrent kernel (Keras' <c>recurrent_initializer</c>).</summary>
    public Initializer RecurrentInitializer { get; }
    /// <summary>Initializer of the bias (Keras' <c>bias_initializer</c>).</summary>
    public Initializer BiasInitializer { get; }
    /// <summary>Whether to add 1 to the forget-gate bias at initialization (Keras' <c>unit_forget_bias</c>).</summary>
    public bool UnitForgetBias { get; }

    /// <summary>
    /// The <c>kernel</c> weight: the input weights, in Keras' layout (so files map one to one). Throws
    /// <see cref="InvalidOperationException"/> before the layer is built.
    /// </summary>
    public Variable Kernel => kernel ?? throw new InvalidOperationException($"Layer \"{Name}\" is not built yet.");
    /// <summary>
    /// The <c>recurrent_kernel</c> weight: the weights applied to the previous state. Throws
    /// <see cref="InvalidOperationException"/> before the layer is built.
    /// </summary>
    public Variable RecurrentKernel => recurrentKernel ?? throw new InvalidOperationException($"Layer \"{Name}\" is not built yet.");
    /// <summary>
    /// The <c>bias</c> weight: added to the output. Null before the layer is built or when <c>use_bias</c> is false.
    /// </summary>
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

    /// <inheritdoc/>
    public override long[] ComputeOutputShape(long[] inputShape) =>
        [.. Enumerable.Range(0, Rank).Select(axis => OutputLength(inputShape[axis], axis)), Units];
}
