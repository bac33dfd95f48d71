using Layerwise.Initializers;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Layerwise.Layers;

/// <summary>
/// Keras' <c>Conv2D</c>: a 2-D convolution with Keras' layout and semantics: kernel of shape
/// [kernel_h, kernel_w, in_channels / groups, filters] (so files map one to one), inputs
/// <c>channels_last</c> (NHWC) by default or <c>channels_first</c> (NCHW), padding <c>valid</c> or
/// <c>same</c> (TensorFlow's split: the odd pixel goes after), strides, dilation and groups.
/// </summary>
[Layer(Module = "keras.layers")]
public partial class Conv2D : Layer
{
    readonly Func<Tensor, Tensor> activationFunction;
    Variable? kernel, bias;

    public Conv2D(int filters, int[] kernelSize, int[]? strides = null, string padding = "valid", string? dataFormat = null,
                  int[]? dilationRate = null, int groups = 1, string? activation = null, bool useBias = true,
                  Initializer? kernelInitializer = null, Initializer? biasInitializer = null,
                  long[]? inputShape = null, string? name = null, bool trainable = true)
        : base(name, trainable, inputShape)
    {
        if (filters <= 0) throw new ArgumentOutOfRangeException(nameof(filters), filters, "Conv2D needs a positive number of filters.");
        if (groups <= 0 || filters % groups != 0)
            throw new ArgumentOutOfRangeException(nameof(groups), groups, $"groups must be positive and divide filters ({filters}).");
        ArgumentNullException.ThrowIfNull(kernelSize);
        Filters = filters;
        KernelSize = ConvolutionArithmetic.Pair(kernelSize, 1, nameof(kernelSize));
        Strides = ConvolutionArithmetic.Pair(strides, 1, nameof(strides));
        Padding = ConvolutionArithmetic.Padding(padding);
        DataFormat = ConvolutionArithmetic.DataFormat(dataFormat);
        DilationRate = ConvolutionArithmetic.Pair(dilationRate, 1, nameof(dilationRate));
        if (DilationRate.Any(d => d != 1) && Strides.Any(s => s != 1))
            throw new ArgumentException("Keras does not allow dilation_rate > 1 together with strides > 1.", nameof(dilationRate));
        Groups = groups;
        Activation = Activations.Activations.Normalize(activation);
        activationFunction = Activations.Activations.Get(Activation);
        UseBias = useBias;
        KernelInitializer = kernelInitializer ?? new GlorotUniform();
        BiasInitializer = biasInitializer ?? new Zeros();
    }

    public int Filters { get; }
    public int[] KernelSize { get; }
    public int[] Strides { get; }
    public string Padding { get; }
    public string DataFormat { get; }
    public int[] DilationRate { get; }
    public int Groups { get; }
    public string Activation { get; }
    public bool UseBias { get; }
    public Initializer KernelInitializer { get; }
    public Initializer BiasInitializer { get; }

    public Variable Kernel => kernel ?? throw new InvalidOperationException($"Layer \"{Name}\" is not built yet.");
    public Variable? Bias => bias;

    bool ChannelsLast => DataFormat == "channels_last";

    protected override void Build(long[] inputShape)
    {
        if (inputShape.Length != 3)
            throw new IncompatibleShapeException(Name, "an input of rank 4 (batch, height, width, channels)", [-1, .. inputShape]);
        long channels = Dimensions.RequireKnown(inputShape, ChannelsLast ? 2 : 0, Name, ClassName, "channel");
        if (channels % Groups != 0)
            throw new IncompatibleShapeException(Name, $"a number of input channels divisible by groups={Groups}", [-1, .. inputShape]);
        kernel = AddWeight("kernel", [KernelSize[0], KernelSize[1], channels / Groups, Filters], KernelInitializer);
        if (UseBias) bias = AddWeight("bias", [Filters], BiasInitializer);
    }

    public override Tensor Call(Tensor inputs, bool training = false)
    {
        ConvolutionArithmetic.RequireNonEmptyOutput(Name, inputs.shape, ComputeOutputShape(inputs.shape[1..]));
        using var scope = NewDisposeScope();
        var nchw = ChannelsLast ? inputs.permute(0, 3, 1, 2) : inputs;
        if (Padding == "same")
            nchw = ConvolutionArithmetic.PadSame(nchw, KernelSize, Strides, DilationRate, 0.0) ?? nchw;
        // Keras [kh, kw, in, out] -> torch [out, in, kh, kw]
        var weight = Kernel.Value.permute(3, 2, 0, 1);
        var output = F.conv2d(nchw, weight, bias?.Value, strides: [Strides[0], Strides[1]],
                              padding: [0, 0], dilation: [DilationRate[0], DilationRate[1]], groups: Groups);
        if (ChannelsLast) output = output.permute(0, 2, 3, 1);
        var activated = activationFunction(output.contiguous());
        return scope.MoveToOuter(activated);
    }

    public override long[] ComputeOutputShape(long[] inputShape)
    {
        long h = ChannelsLast ? inputShape[0] : inputShape[1];
        long w = ChannelsLast ? inputShape[1] : inputShape[2];
        long oh = ConvolutionArithmetic.OutputLength(h, KernelSize[0], Padding, Strides[0], DilationRate[0]);
        long ow = ConvolutionArithmetic.OutputLength(w, KernelSize[1], Padding, Strides[1], DilationRate[1]);
        return ChannelsLast ? [oh, ow, Filters] : [Filters, oh, ow];
    }
}
