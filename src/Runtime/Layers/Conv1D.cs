using Layerwise.Initializers;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Layerwise.Layers;

/// <summary>
/// Keras' <c>Conv1D</c>: a convolution along the time axis with Keras' layout and semantics: kernel
/// of shape [kernel_size, in_channels / groups, filters] (so files map one to one), inputs
/// <c>channels_last</c> (batch, steps, channels) by default or <c>channels_first</c> (batch,
/// channels, steps), padding <c>valid</c>, <c>same</c> (TensorFlow's split: the odd step goes after)
/// or <c>causal</c> (dilation · (kernel − 1) steps before, none after), strides, dilation and groups.
/// </summary>
[Layer(Module = "keras.layers")]
public partial class Conv1D : Layer
{
    readonly Func<Tensor, Tensor> activationFunction;
    Variable? kernel, bias;

    public Conv1D(int filters, int[] kernelSize, int[]? strides = null, string padding = "valid", string? dataFormat = null,
                  int[]? dilationRate = null, int groups = 1, string? activation = null, bool useBias = true,
                  Initializer? kernelInitializer = null, Initializer? biasInitializer = null,
                  long[]? inputShape = null, string? name = null, bool trainable = true)
        : base(name, trainable, inputShape)
    {
        if (filters <= 0) throw new ArgumentOutOfRangeException(nameof(filters), filters, "Conv1D needs a positive number of filters.");
        if (groups <= 0 || filters % groups != 0)
            throw new ArgumentOutOfRangeException(nameof(groups), groups, $"groups must be positive and divide filters ({filters}).");
        ArgumentNullException.ThrowIfNull(kernelSize);
        Filters = filters;
        KernelSize = ConvolutionArithmetic.Single(kernelSize, 1, nameof(kernelSize));
        Strides = ConvolutionArithmetic.Single(strides, 1, nameof(strides));
        Padding = ConvolutionArithmetic.TemporalPaddingMode(padding);
        DataFormat = ConvolutionArithmetic.DataFormat(dataFormat);
        DilationRate = ConvolutionArithmetic.Single(dilationRate, 1, nameof(dilationRate));
        if (DilationRate[0] != 1 && Strides[0] != 1)
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
        if (inputShape.Length != 2)
            throw new IncompatibleShapeException(Name, "an input of rank 3 (batch, steps, channels)", [-1, .. inputShape]);
        long channels = Dimensions.RequireKnown(inputShape, ChannelsLast ? 1 : 0, Name, ClassName, "channel");
        if (channels % Groups != 0)
            throw new IncompatibleShapeException(Name, $"a number of input channels divisible by groups={Groups}", [-1, .. inputShape]);
        kernel = AddWeight("kernel", [KernelSize[0], channels / Groups, Filters], KernelInitializer);
        if (UseBias) bias = AddWeight("bias", [Filters], BiasInitializer);
    }

    public override Tensor Call(Tensor inputs, bool training = false)
    {
        ConvolutionArithmetic.RequireNonEmptyOutput(Name, inputs.shape, ComputeOutputShape(inputs.shape[1..]));
        using var scope = NewDisposeScope();
        var ncl = ChannelsLast ? inputs.permute(0, 2, 1) : inputs;
        var (before, after) = ConvolutionArithmetic.TemporalPadding(Padding, ncl.shape[2], KernelSize[0], Strides[0], DilationRate[0]);
        if (before != 0 || after != 0) ncl = F.pad(ncl, [before, after]);
        // Keras [k, in, out] -> torch [out, in, k]
        var weight = Kernel.Value.permute(2, 1, 0);
        var output = F.conv1d(ncl, weight, bias?.Value, stride: Strides[0], padding: 0, dilation: DilationRate[0], groups: Groups);
        if (ChannelsLast) output = output.permute(0, 2, 1);
        var activated = activationFunction(output.contiguous());
        return scope.MoveToOuter(activated);
    }

    public override long[] ComputeOutputShape(long[] inputShape)
    {
        long steps = ChannelsLast ? inputShape[0] : inputShape[1];
        long length = ConvolutionArithmetic.OutputLength(steps, KernelSize[0], Padding, Strides[0], DilationRate[0]);
        return ChannelsLast ? [length, Filters] : [Filters, length];
    }
}
