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

    public int Rank { get; }
    public int Filters { get; }
    public int[] KernelSize { get; }
    public int[] Strides { get; }
    public string Padding { get; }
    public string DataFormat { get; }
    public int[] DilationRate { get; }
    public int DepthMultiplier { get; }
    public string Activation { get; }
    public bool UseBias { get; }
    public Initializer DepthwiseInitializer { get; }
    public Initializer PointwiseInitializer { get; }
    public Initializer BiasInitializer { get; }

    public Variable DepthwiseKernel => depthwiseKernel ?? throw new InvalidOperationException($"Layer \"{Name}\" is not built yet.");
    public Variable PointwiseKernel => pointwiseKernel ?? throw new InvalidOperationException($"Layer \"{Name}\" is not built yet.");
    public Variable? Bias => bias;

    bool ChannelsLast => DataFormat == "channels_last";

    protected override void Build(long[] inputShape)
    {
        long channels = SpatialLayout.Channels(this, inputShape, Rank, ChannelsLast);
        depthwiseKernel = AddWeight("depthwise_kernel", [.. KernelSize.Select(k => (long)k), channels, DepthMultiplier], DepthwiseInitializer);
        pointwiseKernel = AddWeight("pointwise_kernel", [.. Enumerable.Repeat(1L, Rank), channels * DepthMultiplier, Filters], PointwiseInitializer);
        if (UseBias) bias = AddWeight("bias", [Filters], BiasInitializer);
    }

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

    public override long[] ComputeOutputShape(long[] inputShape) =>
        SpatialLayout.WithSpatial(inputShape, ChannelsLast, Filters,
            (length, axis) => ConvolutionArithmetic.OutputLength(length, KernelSize[axis], Padding, Strides[axis], DilationRate[axis]));
}
