using Layerwise.Initializers;
using static TorchSharp.torch;

namespace Layerwise.Layers;

/// <summary>
/// Keras 2's locally connected layers (<see cref="LocallyConnected1D"/>, <see cref="LocallyConnected2D"/>):
/// a convolution whose weights are not shared, one kernel per output position. Kernel in Keras'
/// <c>implementation=1</c> layout, as files hold it: [output positions (row-major), kernel cells ·
/// in_channels (channels_last: kernel position-major, channels minor; channels_first: channels major, as
/// Keras' <c>local_conv</c> flattens an input slice), filters]; bias [output spatial..., filters] in both
/// formats: under <c>channels_first</c> Keras' <c>bias_add</c> reshapes (does not transpose) it to
/// [filters, output spatial...], and so does this layer, so that files give Keras' outputs. <c>valid</c>
/// padding only (Keras has no <c>same</c>) and known spatial lengths.
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
        DataFormat = ConvolutionArithmetic.DataFormat(dataFormat);
        Implementation = implementation == 1
            ? 1
            : throw new ArgumentException($"implementation={implementation} stores the kernel in another layout and is not implemented; expected implementation=1.", nameof(implementation));
        Activation = Activations.Activations.Normalize(activation);
        activationFunction = Activations.Activations.Get(Activation);
        UseBias = useBias;
        KernelInitializer = kernelInitializer ?? new GlorotUniform();
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
    /// <summary>Keras' <c>padding</c>: always <c>valid</c>.</summary>
    public string Padding { get; }
    /// <summary>
    /// Keras' <c>data_format</c>: <c>channels_last</c> (batch, spatial..., channels) or <c>channels_first</c> (batch,
    /// channels, spatial...).
    /// </summary>
    public string DataFormat { get; }

    bool ChannelsLast => DataFormat == "channels_last";
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
    /// <summary>Keras' kernel layout choice; 1 (the default, one matrix per output position) is the one implemented.</summary>
    public int Implementation { get; }

    /// <summary>
    /// The <c>kernel</c> weight: the input weights, in Keras' layout (so files map one to one). Throws
    /// <see cref="InvalidOperationException"/> before the layer is built.
    /// </summary>
    public Variable Kernel => kernel ?? throw new InvalidOperationException($"Layer \"{Name}\" is not built yet.");
    /// <summary>
    /// The <c>bias</c> weight: added to the output. Null before the layer is built or when <c>use_bias</c> is false.
    /// </summary>
    public Variable? Bias => bias;

    /// <inheritdoc/>
    protected override void Build(long[] inputShape)
    {
        long channels = SpatialLayout.Channels(this, inputShape, Rank, ChannelsLast);
        if (SpatialLayout.Spatial(inputShape, ChannelsLast).Any(d => d < 0))
            throw new IncompatibleShapeException(Name, "known spatial lengths (a locally connected layer has weights per output position)", [-1, .. inputShape]);
        var output = SpatialLayout.Spatial(ComputeOutputShape(inputShape), ChannelsLast);
        if (output.Any(d => d <= 0))
            throw new IncompatibleShapeException(Name, $"spatial lengths of at least the kernel size ({string.Join(", ", KernelSize)})", [-1, .. inputShape]);
        outputSpatial = output;
        long positions = outputSpatial.Aggregate(1L, (a, b) => a * b);
        long patch = KernelSize.Aggregate(1L, (a, k) => a * k) * channels;
        kernel = AddWeight("kernel", [positions, patch, Filters], KernelInitializer);
        if (UseBias) bias = AddWeight("bias", [.. outputSpatial, Filters], BiasInitializer);
    }

    /// <inheritdoc/>
    public override Tensor Call(Tensor inputs, bool training = false)
    {
        using var scope = NewDisposeScope();
        // Patches by sliding each spatial axis: (batch, out spatial..., channels, k...) for channels_last,
        // (batch, channels, out spatial..., k...) for channels_first.
        int firstSpatial = ChannelsLast ? 1 : 2;
        var patches = inputs;
        for (int axis = 0; axis < Rank; axis++) patches = patches.unfold(firstSpatial + axis, KernelSize[axis], Strides[axis]);
        // Then the order Keras flattens an input slice in: (batch, out spatial..., k..., channels) for channels_last,
        // (batch, out spatial..., channels, k...) for channels_first.
        var outAxes = Enumerable.Range(firstSpatial, Rank).Select(i => (long)i);
        var kernelAxes = Enumerable.Range(Rank + 2, Rank).Select(i => (long)i);
        long[] order = ChannelsLast ? [0, .. outAxes, .. kernelAxes, Rank + 1] : [0, .. outAxes, 1, .. kernelAxes];
        long batch = inputs.shape[0];
        var flat = patches.permute(order).reshape(batch, Kernel.Value.shape[0], Kernel.Value.shape[1]);
        // One matrix per position: (positions, batch, patch) x (positions, patch, filters).
        var output = flat.transpose(0, 1).bmm(Kernel.Value).transpose(0, 1);
        output = output.reshape([batch, .. outputSpatial!, Filters]);
        if (!ChannelsLast)
        {
            output = output.permute([0, Rank + 1, .. Enumerable.Range(1, Rank).Select(i => (long)i)]);
            // Keras' bias_add reshapes the [out spatial..., filters] bias to [1, filters, out spatial...] (memory order kept).
            if (bias is not null) output = output + bias.Value.reshape([1, Filters, .. outputSpatial!]);
        }
        else if (bias is not null) output = output + bias.Value;
        return scope.MoveToOuter(activationFunction(output.contiguous()));
    }

    /// <inheritdoc/>
    public override long[] ComputeOutputShape(long[] inputShape) =>
        SpatialLayout.WithSpatial(inputShape, ChannelsLast, Filters,
            (length, axis) => ConvolutionArithmetic.OutputLength(length, KernelSize[axis], Padding, Strides[axis]));
}
