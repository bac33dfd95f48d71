using Layerwise.Layers;
using Layerwise.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace Layerwise.Tests.Layers;

/// <summary>
/// Conv1DTranspose, Conv2DTranspose, Conv3DTranspose. TensorFlow defines the transposed
/// convolution as the gradient of a convolution with respect to its input, i.e. its adjoint: input
/// cell i through kernel tap t lands on output cell i · stride + t · dilation − (half TensorFlow's
/// "same" padding). The reference is that scatter written as loops in the test. (autograd of torch's
/// conv3d, tried as a second reference, disagreed with these loops for 3-D and dilated 1-D cases on
/// this libtorch, as did libtorch's conv_transpose3d depending on the input's memory layout; the
/// layer therefore computes the transposed convolution as a forward one, see ConvolutionOps.)
/// Also numbers by hand, Keras' <c>deconv_output_length</c>, kernel layout
/// [k.., filters, in_channels], every file format and training.
/// </summary>
[Collection(GlobalRandomState.Name)]
public class ConvTransposeTests
{
    public ConvTransposeTests() => torch.set_num_threads(1);

    static Layer Create(int rank, int filters, int[] kernel, int[] strides, string padding, int[]? outputPadding, int[] dilation, long[] inputShape) => rank switch
    {
        1 => new Conv1DTranspose(filters, kernel, strides, padding, outputPadding, dilationRate: dilation, biasInitializer: new Initializers.RandomNormal(), inputShape: inputShape),
        2 => new Conv2DTranspose(filters, kernel, strides, padding, outputPadding, dilationRate: dilation, biasInitializer: new Initializers.RandomNormal(), inputShape: inputShape),
        _ => new Conv3DTranspose(filters, kernel, strides, padding, outputPadding, dilationRate: dilation, biasInitializer: new Initializers.RandomNormal(), inputShape: inputShape),
    };

    /// <summary>Keras' documented output length of a transposed convolution.</summary>
    static long KerasLength(long input, int kernel, string padding, int? outputPadding, int stride, int dilation)
    {
        int k = kernel + (kernel - 1) * (dilation - 1);
        if (outputPadding is null) return padding == "valid" ? input * stride + Math.Max(k - stride, 0) : input * stride;
        int pad = padding == "same" ? k / 2 : 0;
        return (input - 1) * stride + k - 2 * pad + outputPadding.Value;
    }

    [Theory]
    [InlineData(1, "valid", 2, null, 1)]
    [InlineData(1, "same", 2, null, 1)]
    [InlineData(1, "valid", 3, null, 1)]   // stride above the kernel: cells no input reaches hold the bias
    [InlineData(1, "same", 1, null, 2)]
    [InlineData(2, "same", 2, 1, 1)]
    [InlineData(2, "valid", 2, 1, 1)]
    [InlineData(2, "same", 3, null, 1)]
    [InlineData(2, "same", 2, 0, 1)]
    [InlineData(3, "same", 2, null, 1)]
    [InlineData(3, "valid", 1, null, 2)]
    public void Matches_the_definition_computed_by_loops(int rank, string padding, int stride, int? outputPadding, int dilation)
    {
        Backend.SetRandomSeed(21 + rank);
        int[] kernel = [.. new[] { 3, 2, 3 }.Take(rank)];
        long[] inputSpatial = [.. new long[] { 4, 3, 2 }.Take(rank)];
        const int channels = 2, filters = 3;
        var layer = Create(rank, filters, kernel, [stride], padding, outputPadding is null ? null : [outputPadding.Value], [dilation], [.. inputSpatial, channels]);
        using var x = randn([2, .. inputSpatial, channels]);
        using var y = layer.Invoke(x);
        var outLengths = inputSpatial.Select((n, a) => KerasLength(n, kernel[a], padding, outputPadding, stride, dilation)).ToArray();
        Assert.Equal([2L, .. outLengths, filters], y.shape);
        Assert.Equal([.. outLengths, filters], layer.ComputeOutputShape([.. inputSpatial, channels]));
        var kerasKernel = layer.Weights[0].Value.detach();
        Assert.Equal([.. kernel.Select(k => (long)k), filters, channels], kerasKernel.shape);

        var bias = layer.Weights[1].Value.detach();
        WeightAssert.Close(Scatter(x, kerasKernel, bias, kernel, stride, dilation, padding, outLengths), y.data<float>().ToArray(), 1e-4);
    }

    /// <summary>
    /// The definition as loops: input cell i, kernel tap t add x[i, c] · kernel[t, f, c] to output cell
    /// i · stride + t · dilation − before, where before is half TensorFlow's "same" padding (0 for "valid").
    /// </summary>
    static float[] Scatter(Tensor xLast, Tensor kerasKernel, Tensor bias, int[] kernel, int stride, int dilation, string padding, long[] outLengths)
    {
        int rank = kernel.Length;
        long batch = xLast.shape[0], channels = xLast.shape[^1], filters = kerasKernel.shape[rank];
        long[] inLengths = xLast.shape[1..^1];
        var before = new long[rank];
        for (int a = 0; a < rank; a++)
        {
            long effective = (kernel[a] - 1) * dilation + 1;
            before[a] = padding == "same" ? Math.Max((inLengths[a] - 1) * stride + effective - outLengths[a], 0) / 2 : 0;
        }
        var x = xLast.contiguous().data<float>().ToArray();
        var k = kerasKernel.contiguous().data<float>().ToArray();
        var b0 = bias.contiguous().data<float>().ToArray();
        long outCells = outLengths.Aggregate(1L, (p, n) => p * n);
        var result = new double[batch * outCells * filters];
        for (long n = 0; n < batch * outCells; n++)
            for (int f = 0; f < filters; f++) result[n * filters + f] = b0[f];
        long inCells = inLengths.Aggregate(1L, (p, n) => p * n), taps = kernel.Aggregate(1L, (p, n) => p * n);
        for (long b = 0; b < batch; b++)
            for (long i = 0; i < inCells; i++)
                for (long t = 0; t < taps; t++)
                {
                    var inIndex = Unravel(i, inLengths);
                    var tap = Unravel(t, [.. kernel.Select(v => (long)v)]);
                    var o = new long[rank];
                    bool inside = true;
                    for (int a = 0; a < rank; a++)
                    {
                        o[a] = inIndex[a] * stride + tap[a] * dilation - before[a];
                        inside &= o[a] >= 0 && o[a] < outLengths[a];
                    }
                    if (!inside) continue;
                    long oFlat = Ravel(o, outLengths);
                    for (long c = 0; c < channels; c++)
                        for (long f = 0; f < filters; f++)
                            result[(b * outCells + oFlat) * filters + f] += x[(b * inCells + i) * channels + c] * k[(t * filters + f) * channels + c];
                }
        return [.. result.Select(v => (float)v)];
    }

    static long[] Unravel(long flat, long[] lengths)
    {
        var index = new long[lengths.Length];
        for (int a = lengths.Length - 1; a >= 0; a--) { index[a] = flat % lengths[a]; flat /= lengths[a]; }
        return index;
    }

    static long Ravel(long[] index, long[] lengths) => index.Zip(lengths).Aggregate(0L, (flat, p) => flat * p.Second + p.First);

    [Fact]
    public void One_dimensional_example_by_hand()
    {
        // x = [1, 2], kernel of ones (3 taps), stride 2: every input spreads over 3 cells, 2 apart:
        // full result [1, 1, 1 + 2, 2, 2].
        using var x = tensor(new[] { 1f, 2f }, [1, 2, 1]);
        float[] Run(string padding, int stride, int[]? outputPadding = null)
        {
            var layer = new Conv1DTranspose(1, [3], [stride], padding, outputPadding, kernelInitializer: new Initializers.Ones(), inputShape: [2, 1]);
            using var y = layer.Invoke(x);
            return y.data<float>().ToArray();
        }
        Assert.Equal([1f, 1f, 3f, 2f, 2f], Run("valid", 2));        // 2·2 + max(3 − 2, 0) = 5 cells
        Assert.Equal([1f, 1f, 3f, 2f], Run("same", 2));             // 2·2 = 4 cells: padding 1 in total, all of it after
        Assert.Equal([1f, 3f, 2f], Run("same", 2, [0]));            // (2 − 1)·2 + 3 − 2·1 + 0 = 3 cells: 2 cropped, 1 before
        Assert.Equal([3f, 3f], Run("same", 1));                      // full [1, 3, 3, 2] cropped 1 before, 1 after
    }

    [Fact]
    public void Output_lengths_follow_Keras_and_keep_unknown_dims()
    {
        var layer = new Conv2DTranspose(4, [3, 2], strides: [2, 3], padding: "valid");
        // valid: n·s + max(k − s, 0) -> 5·2 + 1 = 11, 7·3 + 0 = 21
        Assert.Equal([11L, 21, 4], layer.ComputeOutputShape([5, 7, 8]));
        Assert.Equal([-1L, 21, 4], layer.ComputeOutputShape([-1, 7, 8]));
        Assert.Equal([4L, 10, 14], new Conv2DTranspose(4, [3], strides: [2], padding: "same", dataFormat: "channels_first").ComputeOutputShape([8, 5, 7]));
        var e = Assert.Throws<ArgumentException>(() => new Conv2DTranspose(1, [3], strides: [2], outputPadding: [2]));
        Assert.Contains("output_padding must be smaller than strides", e.Message);
        Assert.Throws<IncompatibleShapeException>(() => new Conv1DTranspose(1, [3]).EnsureBuilt([5, -1]));
    }

    [Fact]
    public void Config_has_Keras_keys()
    {
        var config = new Conv2DTranspose(8, [3], strides: [2], padding: "same", outputPadding: [1], name: "up").GetConfig();
        foreach (var key in new[] { "filters", "kernel_size", "strides", "padding", "output_padding", "data_format", "dilation_rate", "activation", "use_bias", "kernel_initializer", "bias_initializer" })
            Assert.True(config.ContainsKey(key), key);
        Assert.Equal("[1,1]", config["output_padding"]!.ToJsonString());
        Assert.Equal("[3,3]", config["kernel_size"]!.ToJsonString());
    }

    [Fact]
    public void Keras1_Deconvolution2D_config_becomes_Conv2DTranspose()
    {
        const string json = """
            {"class_name": "Sequential", "config": [
              {"class_name": "Deconvolution2D", "config": {"name": "deconv", "nb_filter": 3, "nb_row": 3, "nb_col": 3,
                "output_shape": [null, 8, 8, 3], "border_mode": "same", "subsample": [2, 2], "dim_ordering": "tf",
                "batch_input_shape": [null, 4, 4, 2], "trainable": true}}]}
            """;
        var model = (Sequential)Model.FromJson(json);
        var layer = Assert.IsType<Conv2DTranspose>(model.Layers[0]);
        Assert.Equal([3, 3], layer.KernelSize);
        Assert.Equal([2, 2], layer.Strides);
        Assert.Equal("same", layer.Padding);
        Assert.Equal([8L, 8, 3], layer.ComputeOutputShape([4, 4, 2]));
    }

    public static TheoryData<string> Paths => EveryFormat.Paths;

    [Theory]
    [MemberData(nameof(Paths))]
    public void Transposed_convolutions_round_trip_through_every_format(string fileName)
    {
        foreach (var create in Models) EveryFormat.RoundTrip(create, fileName);
    }

    [Fact]
    public void Training_reaches_every_kernel_and_bias()
    {
        foreach (var create in Models) EveryFormat.GradientsReachEveryWeight(create(12));
    }

    static readonly Func<int, Sequential>[] Models =
    [
        seed => Compiled(seed, new Conv1DTranspose(2, [3], strides: [2], padding: "same", inputShape: [4, 3])),
        seed => Compiled(seed, new Conv2DTranspose(2, [3, 2], strides: [2, 1], padding: "same", outputPadding: [1, 0], activation: "tanh", inputShape: [3, 3, 2])),
        seed => Compiled(seed, new Conv3DTranspose(2, [2], strides: [2], dataFormat: "channels_first", inputShape: [2, 2, 2, 2])),
    ];

    static Sequential Compiled(int seed, Layer layer)
    {
        Backend.SetRandomSeed(seed);
        var model = new Sequential(layer, new Flatten(), new Dense(1));
        model.Compile(optimizer: "sgd", loss: "mse");
        return model;
    }
}
