using Layerwise.Initializers;
using static TorchSharp.torch;

namespace Layerwise.Layers;

/// <summary>
/// Keras' <c>BaseConvTranspose</c>: the transposed convolution ("deconvolution") of
/// <see cref="Conv1DTranspose"/>, <see cref="Conv2DTranspose"/> and <see cref="Conv3DTranspose"/>,
/// the gradient of a convolution with respect to its input, as TensorFlow's
/// <c>conv_transpose</c> computes it. Kernel of shape [k1..kr, filters, in_channels] (the transposed
/// convolution's output channels come first, as Keras stores it), padding <c>valid</c> or
/// <c>same</c>, optional <c>output_padding</c> (each below its stride), strides and dilation.
/// The output length per axis is Keras' <c>deconv_output_length</c>; TensorFlow crops the full
/// result from the front by half the padding of the convolution it transposes (the odd cell goes
/// after), and cells no input reaches hold only the bias.
/// </summary>
public abstract class BaseConvTranspose : Layer
{
    readonly Func<Tensor, Tensor> activationFunction;
    Variable? kernel, bias;

    private protected BaseConvTranspose(int rank, int filters, int[] kernelSize, int[]? strides, string padding, int[]? outputPadding,
                                        string? dataFormat, int[]? dilationRate, string? activation, bool useBias,
                                        Initializer? kernelInitializer, Initializer? biasInitializer,
                                        long[]? inputShape, string? name, bool trainable)
        : base(name, trainable, inputShape)
    {
        if (filters <= 0) throw new ArgumentOutOfRangeException(nameof(filters), filters, $"{GetType().Name} needs a positive number of filters.");
        ArgumentNullException.ThrowIfNull(kernelSize);
        Rank = rank;
        Filters = filters;
        KernelSize = ConvolutionArithmetic.Tuple(kernelSize, rank, 1, nameof(kernelSize));
        Strides = ConvolutionArithmetic.Tuple(strides, rank, 1, nameof(strides));
        Padding = ConvolutionArithmetic.Padding(padding);
        DataFormat = ConvolutionArithmetic.DataFormat(dataFormat);
        DilationRate = ConvolutionArithmetic.Tuple(dilationRate, rank, 1, nameof(dilationRate));
        if (outputPadding is not null)
        {
            OutputPadding = outputPadding.Length == 1 ? [.. Enumerable.Repeat(outputPadding[0], rank)] : [.. outputPadding];
            if (OutputPadding.Length != rank || OutputPadding.Any(p => p < 0))
                throw new ArgumentException($"output_padding must be one non-negative integer{(rank == 1 ? "" : $" or {rank}")}; received [{string.Join(", ", outputPadding)}].", nameof(outputPadding));
            if (OutputPadding.Zip(Strides).Any(ps => ps.First >= ps.Second))
                throw new ArgumentException($"output_padding must be smaller than strides; received output_padding=[{string.Join(", ", OutputPadding)}], strides=[{string.Join(", ", Strides)}].", nameof(outputPadding));
        }
        Activation = Activations.Activations.Normalize(activation);
        activationFunction = Activations.Activations.Get(Activation);
        UseBias = useBias;
        KernelInitializer = kernelInitializer ?? new GlorotUniform();
        BiasInitializer = biasInitializer ?? new Zeros();
    }

    /// <summary>The number of spatial axes.</summary>
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
    /// Keras' <c>padding</c>: <c>valid</c> (output = (input - 1) · stride + kernel) or <c>same</c> (output = input ·
    /// stride).
    /// </summary>
    public string Padding { get; }
    /// <summary>Extra cells at the end of each spatial axis (null: Keras' default output length).</summary>
    public int[]? OutputPadding { get; }
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
        kernel = AddWeight("kernel", [.. KernelSize.Select(k => (long)k), Filters, channels], KernelInitializer);
        if (UseBias) bias = AddWeight("bias", [Filters], BiasInitializer);
    }

    long LengthOf(long input, int axis) =>
        ConvolutionArithmetic.TransposeOutputLength(input, KernelSize[axis], Padding, OutputPadding?[axis], Strides[axis], DilationRate[axis]);

    /// <inheritdoc/>
    public override Tensor Call(Tensor inputs, bool training = false)
    {
        using var scope = NewDisposeScope();
        var x = ChannelsLast ? inputs.permute(ConvolutionArithmetic.ToChannelsFirst(Rank)) : inputs;
        var output = ConvolutionOps.ConvolveTransposeFull(x, Kernel.Value, Strides, DilationRate);
        for (int axis = 0; axis < Rank; axis++)
        {
            long input = x.shape[2 + axis], full = output.shape[2 + axis], length = LengthOf(input, axis);
            long effective = (long)(KernelSize[axis] - 1) * DilationRate[axis] + 1;
            // The padding TensorFlow gives the convolution this one transposes: half of it before.
            long before = Padding == "same" ? Math.Max((input - 1) * Strides[axis] + effective - length, 0) / 2 : 0;
            long kept = Math.Min(length, full - before);
            output = output.narrow(2 + axis, before, kept);
            if (kept < length)
            {
                var pads = new long[2 * Rank];
                pads[2 * (Rank - 1 - axis) + 1] = length - kept;
                output = TorchSharp.torch.nn.functional.pad(output, pads);
            }
        }
        if (bias is not null)
            output = output + bias.Value.reshape([Filters, .. Enumerable.Repeat(1L, Rank)]);
        if (ChannelsLast) output = output.permute(ConvolutionArithmetic.ToChannelsLast(Rank));
        return scope.MoveToOuter(activationFunction(output.contiguous()));
    }

    /// <inheritdoc/>
    public override long[] ComputeOutputShape(long[] inputShape) => SpatialLayout.WithSpatial(inputShape, ChannelsLast, Filters, LengthOf);
}
