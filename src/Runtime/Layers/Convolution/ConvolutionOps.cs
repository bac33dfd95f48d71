using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Layerwise.Layers;

/// <summary>
/// torch's convolutions for one, two or three spatial axes behind one call, on channels-first
/// tensors with torch's kernel layout (<see cref="ConvolutionArithmetic.KernelToTorch"/>) and no
/// padding (the layers pad first, as TensorFlow splits it).
/// </summary>
internal static class ConvolutionOps
{
    public static Tensor Convolve(Tensor input, Tensor weight, Tensor? bias, int[] strides, int[] dilation, long groups = 1) => strides.Length switch
    {
        1 => F.conv1d(input, weight, bias, strides[0], 0, dilation[0], groups),
        2 => F.conv2d(input, weight, bias, Longs(strides), [0, 0], Longs(dilation), groups),
        3 => F.conv3d(input, weight, bias, Longs(strides), [0, 0, 0], Longs(dilation), groups),
        _ => throw new ArgumentOutOfRangeException(nameof(strides), strides.Length, "convolutions have one to three spatial axes."),
    };

    /// <summary>The transposed convolution with no cropping: every input cell spreads its kernel over the output ("full" length).</summary>
    public static Tensor ConvolveTranspose(Tensor input, Tensor weight, int[] strides, int[] dilation) => strides.Length switch
    {
        1 => F.conv_transpose1d(input, weight, null, strides[0], 0, 0, dilation[0], 1),
        2 => F.conv_transpose2d(input, weight, null, Longs(strides), [0, 0], [0, 0], Longs(dilation), 1),
        3 => F.conv_transpose3d(input, weight, null, Longs(strides), [0, 0, 0], [0, 0, 0], Longs(dilation), 1),
        _ => throw new ArgumentOutOfRangeException(nameof(strides), strides.Length, "convolutions have one to three spatial axes."),
    };

    /// <summary>
    /// A Keras depthwise kernel [k1..kr, in, multiplier] as the weight of torch's grouped convolution
    /// with one group per input channel, [in · multiplier, 1, k1..kr]: output channel c · multiplier + m
    /// is input channel c through kernel slice [.., c, m], as TensorFlow's <c>depthwise_conv2d</c> orders them.
    /// </summary>
    public static Tensor DepthwiseWeight(Tensor kernel, int rank)
    {
        long[] spatial = kernel.shape[..rank];
        var merged = kernel.reshape([.. spatial, kernel.shape[rank] * kernel.shape[rank + 1]]);
        return merged.permute([rank, .. Enumerable.Range(0, rank).Select(i => (long)i)]).unsqueeze(1);
    }

    static long[] Longs(int[] values) => [.. values.Select(v => (long)v)];
}
