using Layerwise.Initializers;
using static TorchSharp.torch;

namespace Layerwise.Layers;

/// <summary>
/// Keras' <c>BaseDepthwiseConv</c> (<see cref="DepthwiseConv1D"/>, <see cref="DepthwiseConv2D"/>):
/// each input channel convolved with its own <see cref="DepthMultiplier"/> kernels, kernel
/// <c>depthwise_kernel</c> of shape [k1..kr, in_channels, depth_multiplier], bias of
/// in_channels · depth_multiplier; output channel c · multiplier + m comes from input channel c, as
/// in TensorFlow. Padding <c>valid</c>, <c>same</c> and (one spatial axis) <c>causal</c>; strides,
/// dilation, <c>channels_last</c> by default.
/// </summary>
public abstract class BaseDepthwiseConv : Layer
{
    readonly Func<Tensor, Tensor> activationFunction;
    Variable? depthwiseKernel, bias;

    private protected BaseDepthwiseConv(int rank, int[] kernelSize, int[]? strides, string padding, int depthMultiplier, string? dataFormat,
                                        int[]? dilationRate, string? activation, bool useBias,
                                        Initializer? depthwiseInitializer, Initializer? biasInitializer,
                                        long[]? inputShape, string? name, bool trainable)
        : base(name, trainable, inputShape)
    {
        ArgumentNullException.ThrowIfNull(kernelSize);
        if (depthMultiplier <= 0)
            throw new ArgumentOutOfRangeException(nameof(depthMultiplier), depthMultiplier, $"{GetType().Name} needs a positive depth_multiplier.");
        Rank = rank;
        KernelSize = ConvolutionArithmetic.Tuple(kernelSize, rank, 1, nameof(kernelSize));
        Strides = ConvolutionArithmetic.Tuple(strides, rank, 1, nameof(strides));
        Padding = rank == 1 ? ConvolutionArithmetic.TemporalPaddingMode(padding) : ConvolutionArithmetic.Padding(padding);
        DepthMultiplier = depthMultiplier;
        DataFormat = ConvolutionArithmetic.DataFormat(dataFormat);
        DilationRate = ConvolutionArithmetic.Tuple(dilationRate, rank, 1, nameof(dilationRate));
        if (DilationRate.Any(d => d != 1) && Strides.Any(s => s != 1))
            throw new ArgumentException("Keras does not allow dilation_rate > 1 together with strides > 1.", nameof(dilationRate));
        Activation = Activations.Activations.Normalize(activation);
        activationFunction = Activations.Activations.Get(Activation);
        UseBias = useBias;
        DepthwiseInitializer = depthwiseInitializer ?? new GlorotUniform();
        BiasInitializer = biasInitializer ?? new Zeros();
    }

    /// <summary>The number of spatial axes (1 for the 1D layer, 2 for the 2D one).</summary>
    public int Rank { get; }
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
    /// <summary>Output channels per input channel of the depthwise step (Keras' <c>depth_multiplier</c>).</summary>
    public int DepthMultiplier { get; }
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
    /// <summary>Whether the layer adds a bias vector (Keras' <c>use_bias</c>).</summary>
    public bool UseBias { get; }
    /// <summary>Initializer of the depthwise kernel (Keras' <c>depthwise_initializer</c>).</summary>
    public Initializer DepthwiseInitializer { get; }
    /// <summary>Initializer of the bias (Keras' <c>bias_initializer</c>).</summary>
    public Initializer BiasInitializer { get; }

    /// <summary>
    /// The <c>depthwise_kernel</c> weight: one filter stack per input channel. Throws
    /// <see cref="InvalidOperationException"/> before the layer is built.
    /// </summary>
    public Variable DepthwiseKernel => depthwiseKernel ?? throw new InvalidOperationException($"Layer \"{Name}\" is not built yet.");
    /// <summary>
    /// The <c>bias</c> weight: added to the output. Null before the layer is built or when <c>use_bias</c> is false.
    /// </summary>
    public Variable? Bias => bias;

    bool ChannelsLast => DataFormat == "channels_last";

    /// <inheritdoc/>
    protected override void Build(long[] inputShape)
    {
        long channels = SpatialLayout.Channels(this, inputShape, Rank, ChannelsLast);
        depthwiseKernel = AddWeight("depthwise_kernel", [.. KernelSize.Select(k => (long)k), channels, DepthMultiplier], DepthwiseInitializer);
        if (UseBias) bias = AddWeight("bias", [channels * DepthMultiplier], BiasInitializer);
    }

    /// <inheritdoc/>
    public override Tensor Call(Tensor inputs, bool training = false)
    {
        ConvolutionArithmetic.RequireNonEmptyOutput(Name, inputs.shape, ComputeOutputShape(inputs.shape[1..]));
        using var scope = NewDisposeScope();
        // Contiguous: libtorch's grouped (depthwise) kernel gave wrong values here on channels-last strided views (a permuted input; oneDNN on).
        var x = (ChannelsLast ? inputs.permute(ConvolutionArithmetic.ToChannelsFirst(Rank)) : inputs).contiguous();
        long channels = x.shape[1];
        x = ConvolutionArithmetic.Pad(x, Padding, KernelSize, Strides, DilationRate);
        var weight = ConvolutionOps.DepthwiseWeight(DepthwiseKernel.Value, Rank);
        var output = ConvolutionOps.Convolve(x, weight, bias?.Value, Strides, DilationRate, channels);
        if (ChannelsLast) output = output.permute(ConvolutionArithmetic.ToChannelsLast(Rank));
        return scope.MoveToOuter(activationFunction(output.contiguous()));
    }

    /// <inheritdoc/>
    public override long[] ComputeOutputShape(long[] inputShape)
    {
        long channels = ChannelsLast ? inputShape[^1] : inputShape[0];
        return SpatialLayout.WithSpatial(inputShape, ChannelsLast, channels < 0 ? -1 : channels * DepthMultiplier,
            (length, axis) => ConvolutionArithmetic.OutputLength(length, KernelSize[axis], Padding, Strides[axis], DilationRate[axis]));
    }
}
