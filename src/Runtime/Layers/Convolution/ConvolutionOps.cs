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
    /// <summary>
    /// The convolution, with libtorch's oneDNN kernels kept away from the configurations they get wrong
    /// here (<see cref="OneDnnGuard"/>): those run with oneDNN suspended, and a recorded graph whose
    /// backward would meet such a convolution is marked so that <c>Fit</c> runs the backward without it.
    /// </summary>
    public static Tensor Convolve(Tensor input, Tensor weight, Tensor? bias, int[] strides, int[] dilation, long groups = 1) =>
        Convolve(input, weight, bias, strides, dilation, groups, input.shape[1], weight.shape[0]);

    /// <summary>
    /// <see cref="Convolve(Tensor, Tensor, Tensor?, int[], int[], long)"/> when the caller knows the input's channels and the
    /// filters (a built layer), so they are not read from the tensors on every call.
    /// </summary>
    public static Tensor Convolve(Tensor input, Tensor weight, Tensor? bias, int[] strides, int[] dilation, long groups, long inChannels, long filters)
    {
        int rank = strides.Length;
        bool forwardSafe = OneDnnGuard.ForwardSafe(rank, inChannels, groups);
        if (is_grad_enabled() && (weight.requires_grad || input.requires_grad || bias?.requires_grad == true)
            && (!forwardSafe || input.requires_grad && !OneDnnGuard.InputGradientSafe(rank, inChannels, filters, groups, strides)))
            OneDnnGuard.RecordUnsafeBackward();
        if (forwardSafe) return ConvolveUnguarded(input, weight, bias, strides, dilation, groups);
        using (OneDnnGuard.Suspend()) return ConvolveUnguarded(input, weight, bias, strides, dilation, groups);
    }

    static Tensor ConvolveUnguarded(Tensor input, Tensor weight, Tensor? bias, int[] strides, int[] dilation, long groups) => strides.Length switch
    {
        1 => F.conv1d(input, weight, bias, strides[0], 0, dilation[0], groups),
        2 => F.conv2d(input, weight, bias, Longs(strides), [0, 0], Longs(dilation), groups),
        3 => F.conv3d(input, weight, bias, Longs(strides), [0, 0, 0], Longs(dilation), groups),
        _ => throw new ArgumentOutOfRangeException(nameof(strides), strides.Length, "convolutions have one to three spatial axes."),
    };

    /// <summary>
    /// The transposed convolution with no cropping ("full" length (n − 1)·stride + dilated kernel per
    /// axis) of a channels-first input, with Keras' kernel [k.., filters, in]. Computed as the
    /// convolution it is: the input spread out by the strides (zeros between cells), padded by the
    /// dilated kernel less one on each side, convolved with the flipped kernel. libtorch's own
    /// transposed kernels gave different values for the same 3-D input in different memory layouts
    /// here, so they are not used.
    /// </summary>
    public static Tensor ConvolveTransposeFull(Tensor input, Tensor kerasKernel, int[] strides, int[] dilation)
    {
        int rank = strides.Length;
        var spread = input.contiguous();
        for (int axis = 0; axis < rank; axis++)
            if (strides[axis] > 1) spread = Spread(spread, 2 + axis, strides[axis]);
        var pads = new long[2 * rank];
        for (int axis = 0; axis < rank; axis++)
        {
            long border = (long)(kerasKernel.shape[axis] - 1) * dilation[axis];
            pads[2 * (rank - 1 - axis)] = pads[2 * (rank - 1 - axis) + 1] = border;
        }
        var padded = F.pad(spread, pads);
        // [k.., filters, in] -> [filters, in, k..], flipped along k: the convolution's weight.
        long[] spatialDims = [.. Enumerable.Range(2, rank).Select(i => (long)i)];
        var weight = kerasKernel.permute([rank, rank + 1, .. Enumerable.Range(0, rank).Select(i => (long)i)]).flip(spatialDims).contiguous();
        return Convolve(padded, weight, null, [.. Enumerable.Repeat(1, rank)], dilation);
    }

    /// <summary>Puts stride − 1 zeros between neighbouring cells along one axis: length n becomes (n − 1)·stride + 1.</summary>
    static Tensor Spread(Tensor input, int dim, int stride)
    {
        long length = input.shape[dim];
        var cells = input.unsqueeze(dim + 1);
        long[] gapShape = [.. cells.shape];
        gapShape[dim + 1] = stride - 1;
        var withGaps = cat([cells, zeros(gapShape, input.dtype, input.device)], dim + 1);
        long[] merged = [.. input.shape];
        merged[dim] = length * stride;
        return withGaps.reshape(merged).narrow(dim, 0, (length - 1) * stride + 1);
    }

    /// <summary>
    /// A Keras depthwise kernel [k1..kr, in, multiplier] as the weight of torch's grouped convolution
    /// with one group per input channel, [in · multiplier, 1, k1..kr]: output channel c · multiplier + m
    /// is input channel c through kernel slice [.., c, m], as TensorFlow's <c>depthwise_conv2d</c> orders them.
    /// </summary>
    public static Tensor DepthwiseWeight(Tensor kernel, int rank)
    {
        long[] spatial = kernel.shape[..rank];
        var merged = kernel.reshape([.. spatial, kernel.shape[rank] * kernel.shape[rank + 1]]);
        return merged.permute([rank, .. Enumerable.Range(0, rank).Select(i => (long)i)]).unsqueeze(1).contiguous();
    }

    static long[] Longs(int[] values) => [.. values.Select(v => (long)v)];
}
