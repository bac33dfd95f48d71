using TorchSharp;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Layerwise.Layers;

/// <summary>
/// Keras' convolution and pooling arithmetic (<c>conv_utils</c>), for any number of spatial axes:
/// output lengths for <c>valid</c>/<c>same</c>/<c>causal</c> padding and of transposed convolutions,
/// TensorFlow's "same" padding split (the odd pixel goes after), the layout changes between Keras'
/// <c>channels_last</c> and torch's channels-first, and checks of the options configs hold.
/// An unknown length (-1) stays unknown.
/// </summary>
internal static class ConvolutionArithmetic
{
    /// <summary>Keras' <c>conv_output_length</c>.</summary>
    public static long OutputLength(long input, int kernel, string padding, int stride, int dilation = 1)
    {
        if (input < 0) return -1;
        long effective = (long)(kernel - 1) * dilation + 1;
        // "causal" pads effective - 1 before, so it keeps the length as "same" does.
        long length = padding is "same" or "causal" ? input : input - effective + 1;
        return length <= 0 ? 0 : (length + stride - 1) / stride;
    }

    /// <summary>
    /// Refuses a batch whose spatial sizes leave an empty output (an input shorter than the window), before
    /// the kernel runs: with unknown dimensions a layer built for any length can receive a too-short one.
    /// </summary>
    public static void RequireNonEmptyOutput(string layerName, long[] batchShape, long[] sampleOutputShape)
    {
        if (sampleOutputShape.Any(d => d == 0))
            throw new IncompatibleShapeException(layerName,
                $"an input large enough for the layer's window (this one would give an output of shape {ShapeText.WithBatch(sampleOutputShape)})", batchShape);
    }

    /// <summary>
    /// <see cref="RequireNonEmptyOutput"/> for a layer sliding a <paramref name="window"/> over the spatial
    /// axes of <paramref name="batchShape"/>: checks each axis in a loop and builds the layer's output shape
    /// only for the message (every call of a convolution or pooling layer runs this).
    /// </summary>
    public static void RequireWindowFits(Layer layer, long[] batchShape, bool channelsLast, int[] window, string padding, int[] strides, int[]? dilation = null)
    {
        int rank = window.Length, first = channelsLast ? 1 : 2;
        bool fits = batchShape.Length == rank + 2;
        for (int axis = 0; fits && axis < rank; axis++)
            fits = OutputLength(batchShape[first + axis], window[axis], padding, strides[axis], dilation?[axis] ?? 1) != 0;
        if (!fits) RequireNonEmptyOutput(layer.Name, batchShape, layer.ComputeOutputShape(batchShape[1..]));
    }

    /// <summary>
    /// Keras' <c>deconv_output_length</c>: the length a transposed convolution produces (the input
    /// length of the convolution it transposes), with or without <c>output_padding</c>.
    /// </summary>
    public static long TransposeOutputLength(long input, int kernel, string padding, int? outputPadding, int stride, int dilation = 1)
    {
        if (input < 0) return -1;
        long effective = (long)(kernel - 1) * dilation + 1;
        if (outputPadding is null)
            return padding == "same" ? input * stride : input * stride + Math.Max(effective - stride, 0);
        long pad = padding == "same" ? effective / 2 : 0;
        return (input - 1) * stride + effective - 2 * pad + outputPadding.Value;
    }

    /// <summary>TensorFlow's "same" padding of one spatial axis: (before, after), the extra pixel after.</summary>
    public static (long Before, long After) SamePadding(long input, int kernel, int stride, int dilation = 1)
    {
        long effective = (long)(kernel - 1) * dilation + 1;
        long output = (input + stride - 1) / stride;
        long total = Math.Max((output - 1) * stride + effective - input, 0);
        return (total / 2, total - total / 2);
    }

    /// <summary>
    /// Pads the spatial axes (every axis from 2 on) of a channels-first tensor as TensorFlow's "same"
    /// does; null when no padding is needed. <paramref name="value"/> fills the border (0 for
    /// convolution, -inf for max pooling).
    /// </summary>
    public static Tensor? PadSame(Tensor channelsFirst, int[] kernel, int[] strides, int[] dilation, double value)
    {
        var pads = new long[2 * kernel.Length];
        for (int axis = 0; axis < kernel.Length; axis++)
        {
            var (before, after) = SamePadding(channelsFirst.shape[2 + axis], kernel[axis], strides[axis], dilation[axis]);
            // F.pad lists the last axis first.
            int slot = 2 * (kernel.Length - 1 - axis);
            pads[slot] = before;
            pads[slot + 1] = after;
        }
        return pads.All(p => p == 0) ? null : F.pad(channelsFirst, pads, PaddingModes.Constant, value);
    }

    /// <summary>
    /// The (before, after) padding of a 1-D convolution's time axis: TensorFlow's split for "same",
    /// all of it before for "causal" (an output never sees later steps), none for "valid".
    /// </summary>
    public static (long Before, long After) TemporalPadding(string padding, long input, int kernel, int stride, int dilation) => padding switch
    {
        "same" => SamePadding(input, kernel, stride, dilation),
        "causal" => ((long)(kernel - 1) * dilation, 0),
        _ => (0, 0),
    };

    /// <summary>Pads a channels-first tensor for a convolution with <paramref name="padding"/> ("valid", "same", or "causal" for one spatial axis).</summary>
    public static Tensor Pad(Tensor channelsFirst, string padding, int[] kernel, int[] strides, int[] dilation)
    {
        if (padding == "same") return PadSame(channelsFirst, kernel, strides, dilation, 0.0) ?? channelsFirst;
        if (padding != "causal") return channelsFirst;
        var (before, after) = TemporalPadding(padding, channelsFirst.shape[2], kernel[0], strides[0], dilation[0]);
        return before == 0 && after == 0 ? channelsFirst : F.pad(channelsFirst, [before, after]);
    }

    /// <summary>The permutation from (batch, spatial..., channels) to (batch, channels, spatial...).</summary>
    public static long[] ToChannelsFirst(int spatialRank) => [0, spatialRank + 1, .. Enumerable.Range(1, spatialRank).Select(i => (long)i)];

    /// <summary>The permutation from (batch, channels, spatial...) to (batch, spatial..., channels).</summary>
    public static long[] ToChannelsLast(int spatialRank) => [0, .. Enumerable.Range(2, spatialRank).Select(i => (long)i), 1];

    /// <summary>
    /// Keras' convolution kernel [k1..kr, in, out] as torch's weight [out, in, k1..kr].
    /// </summary>
    public static long[] KernelToTorch(int spatialRank) => [spatialRank + 1, spatialRank, .. Enumerable.Range(0, spatialRank).Select(i => (long)i)];

    /// <summary>
    /// An option with one value per spatial axis (<c>kernel_size</c>, <c>strides</c>, ...): one
    /// positive integer is used for every axis, as Keras' <c>normalize_tuple</c> does.
    /// </summary>
    public static int[] Tuple(int[]? values, int rank, int defaultValue, string argument)
    {
        if (values is null) return [.. Enumerable.Repeat(defaultValue, rank)];
        if (values.Length == 1) values = [.. Enumerable.Repeat(values[0], rank)];
        if (values.Length != rank || values.Any(v => v <= 0))
            throw new ArgumentException(
                $"{argument} must be one positive integer{(rank == 1 ? "" : $" or {rank}")}; received [{string.Join(", ", values)}].", argument);
        return [.. values];
    }

    /// <summary>A 1-D option (<c>kernel_size</c>, <c>strides</c>, ...): one positive integer, as Keras writes it (<c>[3]</c>).</summary>
    public static int[] Single(int[]? values, int defaultValue, string argument) => Tuple(values, 1, defaultValue, argument);

    /// <summary>A pair option (<c>kernel_size</c>, <c>strides</c>, ...): one number is used for both axes.</summary>
    public static int[] Pair(int[]? values, int defaultValue, string argument) => Tuple(values, 2, defaultValue, argument);

    public static string Padding(string padding)
    {
        var p = padding.ToLowerInvariant();
        return p is "valid" or "same"
            ? p
            : throw new ArgumentException($"padding must be \"valid\" or \"same\"; received \"{padding}\".", nameof(padding));
    }

    /// <summary>The padding of a 1-D convolution, which may also be <c>causal</c>.</summary>
    public static string TemporalPaddingMode(string padding)
    {
        var p = padding.ToLowerInvariant();
        return p is "valid" or "same" or "causal"
            ? p
            : throw new ArgumentException($"padding must be \"valid\", \"same\" or \"causal\"; received \"{padding}\".", nameof(padding));
    }

    public static string DataFormat(string? dataFormat)
    {
        var f = (dataFormat ?? "channels_last").ToLowerInvariant();
        return f is "channels_last" or "channels_first"
            ? f
            : throw new ArgumentException($"data_format must be \"channels_last\" or \"channels_first\"; received \"{dataFormat}\".", nameof(dataFormat));
    }

    /// <summary>The word list of a rank-N input's spatial axes, for messages: "steps", "height, width", "depth, height, width".</summary>
    public static string SpatialAxes(int spatialRank) => spatialRank switch
    {
        1 => "steps",
        2 => "height, width",
        _ => "depth, height, width",
    };
}
