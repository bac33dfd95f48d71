using Layerwise.Initializers;
using static TorchSharp.torch;

namespace Layerwise.Layers;

/// <summary>
/// Keras 2's locally connected layers (<see cref="LocallyConnected1D"/>, <see cref="LocallyConnected2D"/>):
/// a convolution whose weights are not shared, one kernel per output position. Kernel in Keras'
/// <c>implementation=1</c> layout, as files hold it: [output positions (row-major), kernel cells ·
/// in_channels (kernel position-major, channels minor), filters]; bias [output spatial..., filters].
/// <c>valid</c> padding and <c>channels_last</c> only (Keras has no <c>same</c>; its
/// <c>channels_first</c> bias layout is not implemented), and known spatial lengths.
/// </summary>
public abstract class BaseLocallyConnected : Layer
{
    readonly Func<Tensor, Tensor> activationFunction;
    Variable? kernel, bias;
    long[]? outputSpatial;

    private protected BaseLocallyConnected(int rank, int filters, int[] kernelSize, int[]? strides, string padding, string? dataFormat,
                                           string? activation, bool useBias, Initializer? kernelInitializer, Initializer? biasInitializer,
                                           int implementation, long[]? inputShape, string? name, bool trainable)
        : base(name, trainable, inputShape)
    {
        if (filters <= 0) throw new ArgumentOutOfRangeException(nameof(filters), filters, $"{GetType().Name} needs a positive number of filters.");
        ArgumentNullException.ThrowIfNull(kernelSize);
        Rank = rank;
        Filters = filters;
        KernelSize = ConvolutionArithmetic.Tuple(kernelSize, rank, 1, nameof(kernelSize));
        Strides = ConvolutionArithmetic.Tuple(strides, rank, 1, nameof(strides));
        Padding = padding.ToLowerInvariant() == "valid"
            ? "valid"
            : throw new ArgumentException($"padding must be \"valid\" (Keras' locally connected layers support no other); received \"{padding}\".", nameof(padding));
        DataFormat = ConvolutionArithmetic.DataFormat(dataFormat) == "channels_last"
            ? "channels_last"
            : throw new ArgumentException($"data_format \"channels_first\" is not implemented for {GetType().Name}; expected \"channels_last\".", nameof(dataFormat));
        Implementation = implementation == 1
            ? 1
            : throw new ArgumentException($"implementation={implementation} stores the kernel in another layout and is not implemented; expected implementation=1.", nameof(implementation));
        Activation = Activations.Activations.Normalize(activation);
        activationFunction = Activations.Activations.Get(Activation);
        UseBias = useBias;
        KernelInitializer = kernelInitializer ?? new GlorotUniform();
        BiasInitializer = biasInitializer ?? new Zeros();
    }

    public int Rank { get; }
    public int Filters { get; }
    public int[] KernelSize { get; }
    public int[] Strides { get; }
    public string Padding { get; }
    public string DataFormat { get; }
    public string Activation { get; }
    public bool UseBias { get; }
    public Initializer KernelInitializer { get; }
    public Initializer BiasInitializer { get; }
    /// <summary>Keras' kernel layout choice; 1 (the default, one matrix per output position) is the one implemented.</summary>
    public int Implementation { get; }

    public Variable Kernel => kernel ?? throw new InvalidOperationException($"Layer \"{Name}\" is not built yet.");
    public Variable? Bias => bias;

    protected override void Build(long[] inputShape)
    {
        long channels = SpatialLayout.Channels(this, inputShape, Rank, channelsLast: true);
        if (inputShape[..^1].Any(d => d < 0))
            throw new IncompatibleShapeException(Name, "known spatial lengths (a locally connected layer has weights per output position)", [-1, .. inputShape]);
        var output = ComputeOutputShape(inputShape);
        if (output[..^1].Any(d => d <= 0))
            throw new IncompatibleShapeException(Name, $"spatial lengths of at least the kernel size ({string.Join(", ", KernelSize)})", [-1, .. inputShape]);
        outputSpatial = output[..^1];
        long positions = outputSpatial.Aggregate(1L, (a, b) => a * b);
        long patch = KernelSize.Aggregate(1L, (a, k) => a * k) * channels;
        kernel = AddWeight("kernel", [positions, patch, Filters], KernelInitializer);
        if (UseBias) bias = AddWeight("bias", [.. outputSpatial, Filters], BiasInitializer);
    }

    public override Tensor Call(Tensor inputs, bool training = false)
    {
        using var scope = NewDisposeScope();
        // Patches (batch, out spatial..., channels, k...) by sliding each spatial axis.
        var patches = inputs;
        for (int axis = 0; axis < Rank; axis++) patches = patches.unfold(1 + axis, KernelSize[axis], Strides[axis]);
        // -> (batch, out spatial..., k..., channels): the order Keras flattens a patch in.
        long[] order = [0, .. Enumerable.Range(1, Rank).Select(i => (long)i), .. Enumerable.Range(Rank + 2, Rank).Select(i => (long)i), Rank + 1];
        long batch = inputs.shape[0];
        var flat = patches.permute(order).reshape(batch, Kernel.Value.shape[0], Kernel.Value.shape[1]);
        // One matrix per position: (positions, batch, patch) x (positions, patch, filters).
        var output = flat.transpose(0, 1).bmm(Kernel.Value).transpose(0, 1);
        output = output.reshape([batch, .. outputSpatial!, Filters]);
        if (bias is not null) output = output + bias.Value;
        return scope.MoveToOuter(activationFunction(output.contiguous()));
    }

    public override long[] ComputeOutputShape(long[] inputShape) =>
        SpatialLayout.WithSpatial(inputShape, channelsLast: true, Filters,
            (length, axis) => ConvolutionArithmetic.OutputLength(length, KernelSize[axis], Padding, Strides[axis]));
}
