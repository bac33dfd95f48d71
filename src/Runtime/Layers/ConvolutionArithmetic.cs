using TorchSharp;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Layerwise.Layers;

/// <summary>
/// Keras' convolution and pooling arithmetic (<c>conv_utils</c>): output lengths for
/// <c>valid</c>/<c>same</c>/<c>causal</c> padding, TensorFlow's "same" padding split (the odd pixel
/// goes after), and checks of the options configs hold.
/// </summary>
internal static class ConvolutionArithmetic
{
    /// <summary>Keras' <c>conv_output_length</c>; an unknown input length (-1) gives an unknown output length.</summary>
    public static long OutputLength(long input, int kernel, string padding, int stride, int dilation = 1)
    {
        if (!Dimensions.IsKnown(input)) return Dimensions.Unknown;
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

    /// <summary>TensorFlow's "same" padding of one spatial axis: (before, after), the extra pixel after.</summary>
    public static (long Before, long After) SamePadding(long input, int kernel, int stride, int dilation = 1)
    {
        long effective = (long)(kernel - 1) * dilation + 1;
        long output = (input + stride - 1) / stride;
        long total = Math.Max((output - 1) * stride + effective - input, 0);
        return (total / 2, total - total / 2);
    }

    /// <summary>
    /// Pads the two spatial axes of an NCHW tensor as TensorFlow's "same" does; null when no padding
    /// is needed. <paramref name="value"/> fills the border (0 for convolution, -inf for max pooling).
    /// </summary>
    public static Tensor? PadSame(Tensor nchw, int[] kernel, int[] strides, int[] dilation, double value)
    {
        var (top, bottom) = SamePadding(nchw.shape[2], kernel[0], strides[0], dilation[0]);
        var (left, right) = SamePadding(nchw.shape[3], kernel[1], strides[1], dilation[1]);
        if (top == 0 && bottom == 0 && left == 0 && right == 0) return null;
        return F.pad(nchw, [left, right, top, bottom], PaddingModes.Constant, value);
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

    /// <summary>A 1-D option (<c>kernel_size</c>, <c>strides</c>, ...): one positive integer, as Keras writes it (<c>[3]</c>).</summary>
    public static int[] Single(int[]? values, int defaultValue, string argument)
    {
        if (values is null) return [defaultValue];
        if (values.Length != 1 || values[0] <= 0)
            throw new ArgumentException($"{argument} must be one positive integer; received [{string.Join(", ", values)}].", argument);
        return [values[0]];
    }

    /// <summary>A pair option (<c>kernel_size</c>, <c>strides</c>, ...): one number is used for both axes.</summary>
    public static int[] Pair(int[]? values, int defaultValue, string argument)
    {
        if (values is null) return [defaultValue, defaultValue];
        if (values.Length == 1) values = [values[0], values[0]];
        if (values.Length != 2 || values.Any(v => v <= 0))
            throw new ArgumentException($"{argument} must be one positive integer or two; received [{string.Join(", ", values)}].", argument);
        return [.. values];
    }

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
}
