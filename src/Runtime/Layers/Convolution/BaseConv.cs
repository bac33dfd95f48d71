using Layerwise.Initializers;
using static TorchSharp.torch;

namespace Layerwise.Layers;

/// <summary>
/// Keras' <c>BaseConv</c>: the convolution of <see cref="Conv1D"/>, <see cref="Conv2D"/> and
/// <see cref="Conv3D"/> for any number of spatial axes, with Keras' layout and semantics: kernel of
/// shape [k1..kr, in_channels / groups, filters] (so files map one to one), inputs
/// <c>channels_last</c> (batch, spatial..., channels) by default or <c>channels_first</c>, padding
/// <c>valid</c> or <c>same</c> (TensorFlow's split: the odd pixel goes after) and, with one spatial
/// axis, <c>causal</c>; strides, dilation and groups. The concrete layers only name their rank.
/// </summary>
public abstract class BaseConv : Layer, IChannelsFirstLayer
{
    readonly Func<Tensor, Tensor> activationFunction;
    readonly Func<Tensor, Tensor>? activationInPlace;
    readonly long[] toChannelsFirst, toChannelsLast;
    readonly KernelLayoutCache torchKernel;
    Variable? kernel, bias;
    long inChannels;

    private protected BaseConv(int rank, int filters, int[] kernelSize, int[]? strides, string padding, string? dataFormat,
                               int[]? dilationRate, int groups, string? activation, bool useBias,
                               Initializer? kernelInitializer, Initializer? biasInitializer,
                               long[]? inputShape, string? name, bool trainable)
        : base(name, trainable, inputShape)
    {
        if (filters <= 0) throw new ArgumentOutOfRangeException(nameof(filters), filters, $"{GetType().Name} needs a positive number of filters.");
        if (groups <= 0 || filters % groups != 0)
            throw new ArgumentOutOfRangeException(nameof(groups), groups, $"groups must be positive and divide filters ({filters}).");
        ArgumentNullException.ThrowIfNull(kernelSize);
        Rank = rank;
        Filters = filters;
        KernelSize = ConvolutionArithmetic.Tuple(kernelSize, rank, 1, nameof(kernelSize));
        Strides = ConvolutionArithmetic.Tuple(strides, rank, 1, nameof(strides));
        Padding = rank == 1 ? ConvolutionArithmetic.TemporalPaddingMode(padding) : ConvolutionArithmetic.Padding(padding);
        DataFormat = ConvolutionArithmetic.DataFormat(dataFormat);
        DilationRate = ConvolutionArithmetic.Tuple(dilationRate, rank, 1, nameof(dilationRate));
        if (DilationRate.Any(d => d != 1) && Strides.Any(s => s != 1))
            throw new ArgumentException("Keras does not allow dilation_rate > 1 together with strides > 1.", nameof(dilationRate));
        Groups = groups;
        Activation = Activations.Activations.Normalize(activation);
        activationFunction = Activations.Activations.Get(Activation);
        activationInPlace = Activations.Activations.InPlace(Activation);
        UseBias = useBias;
        KernelInitializer = kernelInitializer ?? new GlorotUniform();
        BiasInitializer = biasInitializer ?? new Zeros();
        toChannelsFirst = ConvolutionArithmetic.ToChannelsFirst(rank);
        toChannelsLast = ConvolutionArithmetic.ToChannelsLast(rank);
        var kernelToTorch = ConvolutionArithmetic.KernelToTorch(rank);
        torchKernel = new KernelLayoutCache(k => k.permute(kernelToTorch));
    }

    /// <summary>The number of spatial axes (1 for Conv1D, 2 for Conv2D, 3 for Conv3D).</summary>
    public int Rank { get; }
    /// <summary>Number of output channels (Keras' <c>filters</c>).</summary>
    public int Filters { get; }
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
    /// Number of channel groups convolved separately (Keras' <c>groups</c>); must divide both the input channels and
    /// <c>filters</c>.
    /// </summary>
    public int Groups { get; }
    /// <summary>
    /// Activation applied to the output (Keras' <c>activation</c>), by Keras name (<c>relu</c>, <c>softmax</c>...);
    /// <c>linear</c> when none.
    /// </summary>
    public string Activation { get; }
    /// <summary>Whether the layer adds a bias vector (Keras' <c>use_bias</c>).</summary>
    public bool UseBias { get; }
    /// <summary>Initializer of the kernel weights (Keras' <c>kernel_initializer</c>).</summary>
    public Initializer KernelInitializer { get; }
    /// <summary>Initializer of the bias (Keras' <c>bias_initializer</c>).</summary>
    public Initializer BiasInitializer { get; }

    /// <summary>
    /// The <c>kernel</c> weight: the input weights, in Keras' layout (so files map one to one). Throws
    /// <see cref="InvalidOperationException"/> before the layer is built.
    /// </summary>
    public Variable Kernel => kernel ?? throw new InvalidOperationException($"Layer \"{Name}\" is not built yet.");
    /// <summary>
    /// The <c>bias</c> weight: added to the output. Null before the layer is built or when <c>use_bias</c> is false.
    /// </summary>
    public Variable? Bias => bias;

    bool ChannelsLast => DataFormat == "channels_last";

    /// <inheritdoc/>
    protected override void Build(long[] inputShape)
    {
        long channels = SpatialLayout.Channels(this, inputShape, Rank, ChannelsLast);
        if (channels % Groups != 0)
            throw new IncompatibleShapeException(Name, $"a number of input channels divisible by groups={Groups}", [-1, .. inputShape]);
        kernel = AddWeight("kernel", [.. KernelSize.Select(k => (long)k), channels / Groups, Filters], KernelInitializer);
        inChannels = channels;
        if (UseBias) bias = AddWeight("bias", [Filters], BiasInitializer);
    }

    /// <inheritdoc/>
    public override Tensor Call(Tensor inputs, bool training = false)
    {
        ConvolutionArithmetic.RequireWindowFits(this, inputs.Sizes(), ChannelsLast, KernelSize, Padding, Strides, DilationRate);
        using var scope = NewDisposeScope();
        var output = ConvolveChannelsFirst(ChannelsLast ? inputs.permute(toChannelsFirst) : inputs);
        if (ChannelsLast) output = output.permute(toChannelsLast);
        // The contiguous output is this call's own (the convolution's backward does not need it): activation in place where it can be.
        return scope.MoveToOuter((activationInPlace ?? activationFunction)(output.contiguous()));
    }

    /// <summary>The convolution of a channels-first input, before the activation.</summary>
    Tensor ConvolveChannelsFirst(Tensor x)
    {
        // libtorch's grouped kernels gave wrong values here on channels-last strided views (a permuted input; oneDNN on).
        if (Groups > 1) x = x.contiguous();
        x = ConvolutionArithmetic.Pad(x, Padding, KernelSize, Strides, DilationRate);
        // The input's channels are the built ones (checked before Call); the kernel laid out once while no gradient is recorded.
        return ConvolutionOps.Convolve(x, torchKernel.For(Kernel.Value), bias?.Value, Strides, DilationRate, Groups, inChannels, Filters);
    }

    /// <summary>
    /// Grouped convolutions copy their input to torch's own order first, softmax and the like are not
    /// elementwise, and a subclass outside Layerwise may override Call: those run alone.
    /// </summary>
    bool IChannelsFirstLayer.CanRunChannelsFirst =>
        ChannelsLast && Groups == 1 && activationInPlace is not null && Built && ChannelsFirstRun.IsOwnType(this);

    Tensor IChannelsFirstLayer.CallChannelsFirst(Tensor channelsFirst, long[] batchShape)
    {
        CheckInputShape(batchShape);
        ConvolutionArithmetic.RequireWindowFits(this, batchShape, ChannelsLast, KernelSize, Padding, Strides, DilationRate);
        // Call's output is the activation, in place, of the convolution stored channels_last: the same here, not permuted back.
        return activationInPlace!(ChannelsFirstRun.StoredChannelsLast(ConvolveChannelsFirst(channelsFirst)));
    }

    /// <inheritdoc/>
    protected override void Dispose(bool disposing)
    {
        if (disposing) torchKernel.Clear();
        base.Dispose(disposing);
    }

    /// <inheritdoc/>
    public override long[] ComputeOutputShape(long[] inputShape) =>
        SpatialLayout.WithSpatial(inputShape, ChannelsLast, Filters,
            (length, axis) => ConvolutionArithmetic.OutputLength(length, KernelSize[axis], Padding, Strides[axis], DilationRate[axis]));
}
