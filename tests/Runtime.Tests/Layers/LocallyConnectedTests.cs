using Layerwise.Layers;
using Layerwise.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace Layerwise.Tests.Layers;

/// <summary>
/// LocallyConnected1D/2D (Keras 2): one kernel per output position in Keras' implementation-1
/// layout — kernel [positions (row-major), kernel cells · channels (cell-major), filters], bias
/// [output spatial..., filters] — against a direct loop; Keras' refusals; every file format and training.
/// </summary>
[Collection(GlobalRandomState.Name)]
public class LocallyConnectedTests
{
    public LocallyConnectedTests() => torch.set_num_threads(1);

    static float[] Floats(Variable v) { using var c = v.ToCpu(); return c.data<float>().ToArray(); }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void LocallyConnected1D_matches_a_direct_implementation(int stride)
    {
        Backend.SetRandomSeed(51);
        const int steps = 7, channels = 2, k = 3, filters = 4;
        var layer = new LocallyConnected1D(filters, [k], strides: [stride], biasInitializer: new Initializers.RandomNormal(), inputShape: [steps, channels]);
        using var x = randn(2, steps, channels);
        using var y = layer.Invoke(x);
        int outLength = (steps - k) / stride + 1;
        Assert.Equal([2L, outLength, filters], y.shape);
        Assert.Equal([(long)outLength, k * channels, filters], layer.Kernel.Shape);
        Assert.Equal([(long)outLength, filters], layer.Bias!.Shape);
        var kernel = Floats(layer.Kernel);
        var bias = Floats(layer.Bias!);
        var input = x.data<float>().ToArray();
        var actual = y.data<float>().ToArray();
        int n = 0;
        for (int b = 0; b < 2; b++)
            for (int p = 0; p < outLength; p++)
                for (int f = 0; f < filters; f++)
                {
                    double sum = bias[p * filters + f];
                    for (int t = 0; t < k; t++)
                        for (int c = 0; c < channels; c++)
                            sum += input[(b * steps + p * stride + t) * channels + c] * kernel[(p * k * channels + t * channels + c) * filters + f];
                    Assert.True(Math.Abs(sum - actual[n++]) < 1e-5, $"({b},{p},{f}): expected {sum}, got {actual[n - 1]}");
                }
    }

    [Fact]
    public void LocallyConnected2D_matches_a_direct_implementation()
    {
        Backend.SetRandomSeed(52);
        const int h = 5, w = 4, channels = 2, kh = 2, kw = 3, sh = 2, sw = 1, filters = 3;
        var layer = new LocallyConnected2D(filters, [kh, kw], strides: [sh, sw], activation: "tanh", biasInitializer: new Initializers.RandomNormal(), inputShape: [h, w, channels]);
        using var x = randn(2, h, w, channels);
        using var y = layer.Invoke(x);
        int oh = (h - kh) / sh + 1, ow = (w - kw) / sw + 1;
        Assert.Equal([2L, oh, ow, filters], y.shape);
        Assert.Equal([(long)oh * ow, kh * kw * channels, filters], layer.Kernel.Shape);
        Assert.Equal([(long)oh, ow, filters], layer.Bias!.Shape);
        var kernel = Floats(layer.Kernel);
        var bias = Floats(layer.Bias!);
        var input = x.data<float>().ToArray();
        var actual = y.data<float>().ToArray();
        int n = 0;
        for (int b = 0; b < 2; b++)
            for (int i = 0; i < oh; i++)
                for (int j = 0; j < ow; j++)
                    for (int f = 0; f < filters; f++)
                    {
                        int position = i * ow + j;
                        double sum = bias[position * filters + f];
                        for (int u = 0; u < kh; u++)
                            for (int v = 0; v < kw; v++)
                                for (int c = 0; c < channels; c++)
                                    sum += input[((b * h + i * sh + u) * w + j * sw + v) * channels + c]
                                         * kernel[(position * kh * kw * channels + (u * kw + v) * channels + c) * filters + f];
                        Assert.True(Math.Abs(Math.Tanh(sum) - actual[n++]) < 1e-5, $"({b},{i},{j},{f})");
                    }
    }

    [Fact]
    public void LocallyConnected2D_channels_first_matches_Keras_local_conv_and_bias_add()
    {
        // tf.keras' local_conv flattens the slice x[:, :, rows, cols] channel-major, and its bias_add reshapes the
        // [rows, cols, filters] bias to [1, filters, rows, cols] (a reshape, not a transpose): written out as loops.
        Backend.SetRandomSeed(53);
        const int h = 5, w = 4, channels = 2, kh = 2, kw = 3, sh = 2, sw = 1, filters = 3;
        var layer = new LocallyConnected2D(filters, [kh, kw], strides: [sh, sw], dataFormat: "channels_first", activation: "tanh",
                                           biasInitializer: new Initializers.RandomNormal(), inputShape: [channels, h, w]);
        using var x = randn(2, channels, h, w);
        using var y = layer.Invoke(x);
        int oh = (h - kh) / sh + 1, ow = (w - kw) / sw + 1;
        Assert.Equal([2L, filters, oh, ow], y.shape);
        Assert.Equal([(long)filters, oh, ow], layer.ComputeOutputShape([channels, h, w]));
        Assert.Equal([(long)oh * ow, kh * kw * channels, filters], layer.Kernel.Shape);
        Assert.Equal([(long)oh, ow, filters], layer.Bias!.Shape);
        var kernel = Floats(layer.Kernel);
        var bias = Floats(layer.Bias!);   // memory order [rows, cols, filters], read as [filters, rows, cols]
        var input = x.data<float>().ToArray();
        var actual = y.data<float>().ToArray();
        int n = 0;
        for (int b = 0; b < 2; b++)
            for (int f = 0; f < filters; f++)
                for (int i = 0; i < oh; i++)
                    for (int j = 0; j < ow; j++)
                    {
                        int position = i * ow + j;
                        double sum = bias[(f * oh + i) * ow + j];
                        for (int c = 0; c < channels; c++)
                            for (int u = 0; u < kh; u++)
                                for (int v = 0; v < kw; v++)
                                    sum += input[((b * channels + c) * h + i * sh + u) * w + j * sw + v]
                                         * kernel[(position * kh * kw * channels + (c * kh + u) * kw + v) * filters + f];
                        Assert.True(Math.Abs(Math.Tanh(sum) - actual[n++]) < 1e-5, $"({b},{f},{i},{j})");
                    }
        Assert.Equal("channels_first", layer.GetConfig()["data_format"]!.GetValue<string>());
    }

    [Fact]
    public void LocallyConnected1D_channels_first_matches_the_loops()
    {
        Backend.SetRandomSeed(54);
        const int length = 6, channels = 3, k = 2, filters = 2;
        var layer = new LocallyConnected1D(filters, [k], dataFormat: "channels_first", biasInitializer: new Initializers.RandomNormal(), inputShape: [channels, length]);
        using var x = randn(2, channels, length);
        using var y = layer.Invoke(x);
        int outLength = length - k + 1;
        Assert.Equal([2L, filters, outLength], y.shape);
        var kernel = Floats(layer.Kernel);
        var bias = Floats(layer.Bias!);
        var input = x.data<float>().ToArray();
        var actual = y.data<float>().ToArray();
        int n = 0;
        for (int b = 0; b < 2; b++)
            for (int f = 0; f < filters; f++)
                for (int i = 0; i < outLength; i++)
                {
                    double sum = bias[f * outLength + i];
                    for (int c = 0; c < channels; c++)
                        for (int u = 0; u < k; u++)
                            sum += input[(b * channels + c) * length + i + u] * kernel[(i * k * channels + c * k + u) * filters + f];
                    Assert.True(Math.Abs(sum - actual[n++]) < 1e-5, $"({b},{f},{i})");
                }
    }

    [Fact]
    public void What_Keras_or_this_layout_cannot_do_is_refused()
    {
        Assert.Contains("padding must be \"valid\"", Assert.Throws<ArgumentException>(() => new LocallyConnected1D(2, [3], padding: "same")).Message);
        Assert.Contains("implementation=2", Assert.Throws<ArgumentException>(() => new LocallyConnected2D(2, [3], implementation: 2)).Message);
        Assert.Contains("known spatial lengths", Assert.Throws<IncompatibleShapeException>(() => new LocallyConnected1D(2, [3]).EnsureBuilt([-1, 4])).Message);
        Assert.Equal([-1L, 2], new LocallyConnected1D(2, [3]).ComputeOutputShape([-1, 4]));
        var config = new LocallyConnected2D(2, [3]).GetConfig();
        Assert.Equal(1, config["implementation"]!.GetValue<int>());
        Assert.Equal("[3,3]", config["kernel_size"]!.ToJsonString());
    }

    public static TheoryData<string> Paths => EveryFormat.Paths;

    [Theory]
    [MemberData(nameof(Paths))]
    public void Locally_connected_models_round_trip_through_every_format(string fileName)
    {
        foreach (var create in Models) EveryFormat.RoundTrip(create, fileName);
    }

    [Fact]
    public void Training_reaches_every_kernel_and_bias()
    {
        foreach (var create in Models) EveryFormat.GradientsReachEveryWeight(create(16));
    }

    static readonly Func<int, Sequential>[] Models =
    [
        seed => Compiled(seed, new LocallyConnected1D(3, [2], strides: [2], inputShape: [6, 2])),
        seed => Compiled(seed, new LocallyConnected2D(2, [2, 2], inputShape: [3, 4, 2])),
        seed => Compiled(seed, new LocallyConnected1D(2, [3], dataFormat: "channels_first", inputShape: [2, 6])),
        seed => Compiled(seed, new LocallyConnected2D(2, [2, 2], dataFormat: "channels_first", inputShape: [2, 3, 4])),
    ];

    static Sequential Compiled(int seed, Layer layer)
    {
        Backend.SetRandomSeed(seed);
        var model = new Sequential(layer, new Flatten(), new Dense(1));
        model.Compile(optimizer: "sgd", loss: "mse");
        return model;
    }
}
