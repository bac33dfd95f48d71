using Layerwise.Layers;
using Layerwise.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace Layerwise.Tests.Layers;

/// <summary>
/// DepthwiseConv1D/2D and SeparableConv1D/2D against direct loops over TensorFlow's definition
/// (output channel c · multiplier + m is input channel c through depthwise_kernel[.., c, m]; the
/// separable layer then multiplies by pointwise_kernel [1.., in · multiplier, filters]), Keras'
/// weight names, order and shapes, every file format and training.
/// </summary>
[Collection(GlobalRandomState.Name)]
public class DepthwiseSeparableTests
{
    public DepthwiseSeparableTests() => torch.set_num_threads(1);

    const int H = 5, W = 4, C = 3, M = 2;

    /// <summary>The depthwise result by loops: (batch, oh, ow, C·M), channels_last, no bias.</summary>
    static double[,,,] Depthwise(float[] x, int batch, float[] kernel, int kh, int kw, int stride, string padding, out int oh, out int ow)
    {
        int top = 0, left = 0;
        if (padding == "same")
        {
            oh = (H + stride - 1) / stride; ow = (W + stride - 1) / stride;
            top = Math.Max((oh - 1) * stride + kh - H, 0) / 2; left = Math.Max((ow - 1) * stride + kw - W, 0) / 2;
        }
        else { oh = (H - kh) / stride + 1; ow = (W - kw) / stride + 1; }
        var result = new double[batch, oh, ow, C * M];
        for (int b = 0; b < batch; b++)
            for (int i = 0; i < oh; i++)
                for (int j = 0; j < ow; j++)
                    for (int c = 0; c < C; c++)
                        for (int m = 0; m < M; m++)
                            for (int u = 0; u < kh; u++)
                                for (int v = 0; v < kw; v++)
                                {
                                    int ih = i * stride + u - top, iw = j * stride + v - left;
                                    if (ih < 0 || ih >= H || iw < 0 || iw >= W) continue;
                                    result[b, i, j, c * M + m] += x[((b * H + ih) * W + iw) * C + c] * kernel[((u * kw + v) * C + c) * M + m];
                                }
        return result;
    }

    static float[] Floats(Variable v) { using var c = v.ToCpu(); return c.data<float>().ToArray(); }

    [Theory]
    [InlineData("valid", 1)]
    [InlineData("same", 1)]
    [InlineData("same", 2)]
    public void DepthwiseConv2D_matches_a_direct_implementation(string padding, int stride)
    {
        Backend.SetRandomSeed(41);
        var layer = new DepthwiseConv2D([3, 2], strides: [stride], padding: padding, depthMultiplier: M, biasInitializer: new Initializers.RandomNormal(), inputShape: [H, W, C]);
        using var x = randn(2, H, W, C);
        using var y = layer.Invoke(x);
        Assert.Equal(["depthwise_kernel", "bias"], layer.Weights.Select(w => w.Name));
        Assert.Equal([3L, 2, C, M], layer.DepthwiseKernel.Shape);
        Assert.Equal([(long)C * M], layer.Bias!.Shape);
        var expected = Depthwise(x.data<float>().ToArray(), 2, Floats(layer.DepthwiseKernel), 3, 2, stride, padding, out int oh, out int ow);
        Assert.Equal([2L, oh, ow, C * M], y.shape);
        Assert.Equal([(long)oh, ow, C * M], layer.ComputeOutputShape([H, W, C]));
        var bias = Floats(layer.Bias!);
        var actual = y.data<float>().ToArray();
        int n = 0;
        foreach (var (value, index) in Flatten(expected))
            Assert.True(Math.Abs(value + bias[index % (C * M)] - actual[n++]) < 1e-5, $"element {n - 1}");
    }

    [Theory]
    [InlineData("valid", 1)]
    [InlineData("same", 2)]
    public void SeparableConv2D_is_the_depthwise_result_times_the_pointwise_kernel(string padding, int stride)
    {
        Backend.SetRandomSeed(42);
        const int filters = 4;
        var layer = new SeparableConv2D(filters, [2, 3], strides: [stride], padding: padding, depthMultiplier: M, biasInitializer: new Initializers.RandomNormal(), inputShape: [H, W, C]);
        using var x = randn(2, H, W, C);
        using var y = layer.Invoke(x);
        Assert.Equal(["depthwise_kernel", "pointwise_kernel", "bias"], layer.Weights.Select(w => w.Name));
        Assert.Equal([2L, 3, C, M], layer.DepthwiseKernel.Shape);
        Assert.Equal([1L, 1, C * M, filters], layer.PointwiseKernel.Shape);
        var depthwise = Depthwise(x.data<float>().ToArray(), 2, Floats(layer.DepthwiseKernel), 2, 3, stride, padding, out int oh, out int ow);
        Assert.Equal([2L, oh, ow, filters], y.shape);
        var pointwise = Floats(layer.PointwiseKernel);
        var bias = Floats(layer.Bias!);
        var actual = y.data<float>().ToArray();
        int n = 0;
        for (int b = 0; b < 2; b++)
            for (int i = 0; i < oh; i++)
                for (int j = 0; j < ow; j++)
                    for (int f = 0; f < filters; f++)
                    {
                        double sum = bias[f];
                        for (int k = 0; k < C * M; k++) sum += depthwise[b, i, j, k] * pointwise[k * filters + f];
                        Assert.True(Math.Abs(sum - actual[n++]) < 1e-5, $"output ({b},{i},{j},{f}): expected {sum}, got {actual[n - 1]}");
                    }
    }

    [Fact]
    public void One_dimensional_layers_are_the_two_dimensional_ones_on_a_width_of_one()
    {
        Backend.SetRandomSeed(43);
        // A (steps, channels) input is a (steps, 1, channels) image; a [k] kernel is a [k, 1] one.
        var depth1 = new DepthwiseConv1D([3], padding: "causal", depthMultiplier: 2, inputShape: [6, 2]);
        var sep1 = new SeparableConv1D(3, [2], strides: [2], padding: "same", inputShape: [6, 2]);
        using var x = randn(2, 6, 2);
        using var y1 = depth1.Invoke(x);
        using var z1 = sep1.Invoke(x);
        var depth2 = new DepthwiseConv2D([3, 1], depthMultiplier: 2, inputShape: [8, 1, 2]);
        depth2.EnsureBuilt([8, 1, 2]);
        depth2.DepthwiseKernel.Assign(depth1.DepthwiseKernel.Value.unsqueeze(1));
        depth2.Bias!.Assign(depth1.Bias!.Value);
        // causal: 2 zero steps before, none after.
        using var padded = torch.nn.functional.pad(x, [0, 0, 2, 0]).unsqueeze(2);
        using var y2 = depth2.Invoke(padded);
        WeightAssert.Close(y2.squeeze(2).contiguous().data<float>().ToArray(), y1.data<float>().ToArray());
        var sep2 = new SeparableConv2D(3, [2, 1], strides: [2, 1], padding: "same", inputShape: [6, 1, 2]);
        sep2.EnsureBuilt([6, 1, 2]);
        sep2.DepthwiseKernel.Assign(sep1.DepthwiseKernel.Value.unsqueeze(1));
        sep2.PointwiseKernel.Assign(sep1.PointwiseKernel.Value.unsqueeze(1));
        sep2.Bias!.Assign(sep1.Bias!.Value);
        using var z2 = sep2.Invoke(x.unsqueeze(2));
        WeightAssert.Close(z2.squeeze(2).contiguous().data<float>().ToArray(), z1.data<float>().ToArray());
        Assert.Equal([6L, 4], depth1.ComputeOutputShape([6, 2]));
        Assert.Equal([-1L, 3], sep1.ComputeOutputShape([-1, 2]));
    }

    [Fact]
    public void Channels_first_gives_the_channels_last_result()
    {
        Backend.SetRandomSeed(44);
        var last = new SeparableConv2D(2, [3], padding: "same", depthMultiplier: 2, inputShape: [4, 4, 3]);
        var first = new SeparableConv2D(2, [3], padding: "same", depthMultiplier: 2, dataFormat: "channels_first", inputShape: [3, 4, 4]);
        using var x = randn(1, 4, 4, 3);
        using var expected = last.Invoke(x);
        first.EnsureBuilt([3, 4, 4]);
        Assert.Equal(3, first.Weights.Count);
        foreach (var (a, b) in first.Weights.Zip(last.Weights)) a.Assign(b.Value);
        using var y = first.Invoke(x.permute(0, 3, 1, 2));
        WeightAssert.Close(expected.data<float>().ToArray(), y.permute(0, 2, 3, 1).contiguous().data<float>().ToArray());
    }

    [Fact]
    public void Config_has_Keras_keys()
    {
        var depth = new DepthwiseConv2D([3], depthMultiplier: 2).GetConfig();
        foreach (var key in new[] { "kernel_size", "strides", "padding", "depth_multiplier", "data_format", "dilation_rate", "activation", "use_bias", "depthwise_initializer", "bias_initializer" })
            Assert.True(depth.ContainsKey(key), key);
        Assert.False(depth.ContainsKey("filters"));
        var sep = new SeparableConv1D(4, [3]).GetConfig();
        foreach (var key in new[] { "filters", "kernel_size", "depth_multiplier", "depthwise_initializer", "pointwise_initializer", "bias_initializer" })
            Assert.True(sep.ContainsKey(key), key);
    }

    static IEnumerable<(double Value, int Index)> Flatten(double[,,,] values)
    {
        int i = 0;
        foreach (var v in values) yield return (v, i++);
    }

    public static TheoryData<string> Paths => EveryFormat.Paths;

    [Theory]
    [MemberData(nameof(Paths))]
    public void Depthwise_and_separable_models_round_trip_through_every_format(string fileName)
    {
        foreach (var create in Models) EveryFormat.RoundTrip(create, fileName);
    }

    [Fact]
    public void Training_reaches_every_kernel_and_bias()
    {
        foreach (var create in Models) EveryFormat.GradientsReachEveryWeight(create(13));
    }

    static readonly Func<int, Sequential>[] Models =
    [
        seed => Compiled(seed, new DepthwiseConv2D([2], depthMultiplier: 2, padding: "same", inputShape: [4, 4, 2]), new SeparableConv2D(3, [2], inputShape: null)),
        seed => Compiled(seed, new DepthwiseConv1D([2], inputShape: [5, 2]), new SeparableConv1D(2, [2], depthMultiplier: 2, padding: "causal")),
    ];

    static Sequential Compiled(int seed, Layer first, Layer second)
    {
        Backend.SetRandomSeed(seed);
        var model = new Sequential(first, second, new Flatten(), new Dense(1));
        model.Compile(optimizer: "sgd", loss: "mse");
        return model;
    }
}
