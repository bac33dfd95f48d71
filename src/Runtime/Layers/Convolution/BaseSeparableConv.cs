using Layerwise.Initializers;
using static TorchSharp.torch;

namespace Layerwise.Layers;

/// <summary>
/// Keras' <c>BaseSeparableConv</c> (<see cref="SeparableConv1D"/>, <see cref="SeparableConv2D"/>):
/// a depthwise convolution (kernel <c>depthwise_kernel</c> [k1..kr, in_channels, depth_multiplier],
/// with the strides, dilation and padding) followed by a pointwise one (kernel
/// <c>pointwise_kernel</c> [1.., in_channels · depth_multiplier, filters]) and the bias of the
/// filters, as TensorFlow's <c>separable_conv2d</c>; weights in that order, as Keras saves them.
/// </summary>
public abstract class BaseSeparableConv : Layer
{
    readonly Func<Tensor, Tensor> activationFunction;
    Variable? depthwiseKernel, pointwiseKernel, bias;

    private protected BaseSeparableConv(int rank, int filters, int[] kernelSize, int[]? strides, string padding, string? dataFormat,
                                        int[]? dilationRate, int depthMultiplier, string? activation, bool useBias,
                                        Initializer? depthwiseInitializer, Initializer? pointwiseInitializer, Initializer? biasInitializer,
                                        long[]? inputShape, string? name, bool trainable)
        : base(name, trainable, inputShape)
    {
        if (filters <= 0) throw new ArgumentOutOfRangeException(nameof(filters), filters, $"{GetType().Name} needs a positive number of filters.");
        if (depthMultiplier <= 0)
            throw new ArgumentOutOfRangeException(nameof(depthMultiplier), depthMultiplier, $"{GetType().Name} needs a positive depth_multiplier.");
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
        DepthMultiplier = depthMultiplier;
        Activation = Activations.Activations.Normalize(activation);
        activationFunction = Activations.Activations.Get(Activation);
        UseBias = useBias;
        DepthwiseInitializer = depthwiseInitializer ?? new GlorotUniform();
        PointwiseInitializer = pointwiseInitializer ?? new GlorotUniform();
        BiasInitializer = biasInitializer ?? new Zeros();
    }

    /// <summary>The number of spatial axes (1 for the 1D layer, 2 for the 2D one).</summary>
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
    /// <summary>Output channels per input channel of the depthwise step (Keras' <c>depth_multiplier</c>).</summary>
    public int DepthMultiplier { get; }
    /// <summary>
    /// Activation applied to the output (Keras' <c>activation</c>), by Keras name (<c>relu</c>, <c>softmax</c>...);
    /// <c>linear</c> when none.
    /// </summary>
    public string Activation { get; }
    /// <summary>Whether the layer adds a bias vector (Keras' <c>use_bias</c>).</summary>
    public bool UseBias { get; }
    /// <summary>Initializer of the depthwise kernel (Keras' <c>depthwise_initializer</c>).</summary>
    public Initializer DepthwiseInitializer { get; }
    /// <summary>Initializer of the pointwise kernel (Keras' <c>pointwise_initializer</c>).</summary>
    public Initializer PointwiseInitializer { get; }
    /// <summary>Initializer of the bias (Keras' <c>bias_initializer</c>).</summary>
    public Initializer BiasInitializer { get; }

    /// <summary>
    /// The <c>depthwise_kernel</c> weight: one filter stack per input channel. Throws
    /// <see cref="InvalidOperationException"/> before the layer is built.
    /// </summary>
    public Variable DepthwiseKernel => depthwiseKernel ?? throw new InvalidOperationException($"Layer \"{Name}\" is not built yet.");
    /// <summary>
    /// The <c>pointwise_kernel</c> weight: the 1×1 convolution that mixes the depthwise outputs. Throws
    /// <see cref="InvalidOperationException"/> before the layer is built.
    /// </summary>
    public Variable PointwiseKernel => pointwiseKernel ?? throw new InvalidOperationException($"Layer \"{Name}\" is not built yet.");
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
        pointwiseKernel = AddWeight("pointwise_kernel", [.. Enumerable.Repeat(1L, Rank), channels * DepthMultiplier, Filters], PointwiseInitializer);
        if (UseBias) bias = AddWeight("bias", [Filters], BiasInitializer);
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
        var depthwise = ConvolutionOps.Convolve(x, ConvolutionOps.DepthwiseWeight(DepthwiseKernel.Value, Rank), null, Strides, DilationRate, channels);
        var ones = Enumerable.Repeat(1, Rank).ToArray();
        var pointwise = PointwiseKernel.Value.permute(ConvolutionArithmetic.KernelToTorch(Rank));
        var output = ConvolutionOps.Convolve(depthwise, pointwise, bias?.Value, ones, ones);
        if (ChannelsLast) output = output.permute(ConvolutionArithmetic.ToChannelsLast(Rank));
        return scope.MoveToOuter(activationFunction(output.contiguous()));
    }

    /// <inheritdoc/>
    public override long[] ComputeOutputShape(long[] inputShape) =>
        SpatialLayout.WithSpatial(inputShape, ChannelsLast, Filters,
            (length, axis) => ConvolutionArithmetic.OutputLength(length, KernelSize[axis], Padding, Strides[axis], DilationRate[axis]));
}
