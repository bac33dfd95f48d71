using Layerwise.Layers;
using Layerwise.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace Layerwise.Tests.Layers;

/// <summary>
/// MaxPooling3D, AveragePooling3D (on the shared BasePooling), GlobalAveragePooling3D and
/// GlobalMaxPooling3D: values against direct loops over TensorFlow's definition ("same": half the
/// padding before, the odd cell after; padded cells neither win a max nor count in a mean), Keras'
/// output lengths with unknown dims, every file format and training through them.
/// </summary>
[Collection(GlobalRandomState.Name)]
public class Pooling3DTests
{
    public Pooling3DTests() => torch.set_num_threads(1);

    static readonly long[] Size = [3, 5, 4];

    [Theory]
    [InlineData("valid", 2, 2, false)]
    [InlineData("same", 2, 2, false)]
    [InlineData("same", 3, 1, false)]
    [InlineData("valid", 2, 2, true)]
    [InlineData("same", 2, 2, true)]
    [InlineData("same", 3, 2, true)]
    public void Pooling3D_matches_a_direct_implementation(string padding, int pool, int stride, bool average)
    {
        const int channels = 2;
        Layer layer = average
            ? new AveragePooling3D([pool], strides: [stride], padding: padding, inputShape: [.. Size, channels])
            : new MaxPooling3D([pool], strides: [stride], padding: padding, inputShape: [.. Size, channels]);
        using var x = randn([2, 3, 5, 4, channels]);
        using var y = layer.Invoke(x);
        long[] outShape = [.. Size.Select(n => padding == "same" ? (n + stride - 1) / stride : (n - pool) / stride + 1), channels];
        Assert.Equal([2L, .. outShape], y.shape);
        Assert.Equal(outShape, layer.ComputeOutputShape([.. Size, channels]));
        var before = Size.Select((n, a) => padding == "same" ? Math.Max((outShape[a] - 1) * stride + pool - n, 0) / 2 : 0).ToArray();
        var input = x.data<float>().ToArray();
        var actual = y.data<float>().ToArray();
        int i = 0;
        for (int b = 0; b < 2; b++)
            for (int od = 0; od < outShape[0]; od++)
                for (int oh = 0; oh < outShape[1]; oh++)
                    for (int ow = 0; ow < outShape[2]; ow++)
                        for (int c = 0; c < channels; c++)
                        {
                            double best = double.NegativeInfinity, sum = 0;
                            int count = 0;
                            for (int pd = 0; pd < pool; pd++)
                                for (int ph = 0; ph < pool; ph++)
                                    for (int pw = 0; pw < pool; pw++)
                                    {
                                        long id = od * stride + pd - before[0], ih = oh * stride + ph - before[1], iw = ow * stride + pw - before[2];
                                        if (id < 0 || id >= 3 || ih < 0 || ih >= 5 || iw < 0 || iw >= 4) continue;
                                        float v = input[(((b * 3 + id) * 5 + ih) * 4 + iw) * channels + c];
                                        best = Math.Max(best, v);
                                        sum += v;
                                        count++;
                                    }
                            double expected = average ? sum / count : best;
                            Assert.True(Math.Abs(expected - actual[i++]) < 1e-5, $"output ({b},{od},{oh},{ow},{c}): expected {expected}, got {actual[i - 1]}");
                        }
    }

    [Fact]
    public void Channels_first_pools_the_last_three_axes()
    {
        using var x = randn([1, 2, 4, 4, 4]);
        using var expected = new MaxPooling3D().Invoke(x.permute(0, 2, 3, 4, 1));
        using var y = new MaxPooling3D(dataFormat: "channels_first").Invoke(x);
        Assert.Equal(expected.permute(0, 4, 1, 2, 3).contiguous().data<float>().ToArray(), y.data<float>().ToArray());
    }

    [Fact]
    public void Global_pooling_3D_reduces_depth_height_and_width()
    {
        using var x = randn([2, 3, 4, 5, 6]);
        using var mean = new GlobalAveragePooling3D().Invoke(x);
        using var max = new GlobalMaxPooling3D(keepdims: true).Invoke(x);
        using var meanFirst = new GlobalAveragePooling3D(dataFormat: "channels_first").Invoke(x);
        Assert.Equal([2L, 6], mean.shape);
        Assert.Equal([2L, 1, 1, 1, 6], max.shape);
        Assert.Equal([2L, 3], meanFirst.shape);
        var values = x.data<float>().ToArray();
        for (int b = 0; b < 2; b++)
            for (int c = 0; c < 6; c++)
            {
                var cells = Enumerable.Range(0, 60).Select(p => values[(b * 60 + p) * 6 + c]).ToArray();
                Assert.True(Math.Abs(cells.Average() - mean[b, c].item<float>()) < 1e-5);
                Assert.Equal(cells.Max(), max[b, 0, 0, 0, c].item<float>());
            }
        Assert.True(Math.Abs(values.Take(120).Average() - meanFirst[0, 0].item<float>()) < 1e-5);
        Assert.Equal([6L], new GlobalMaxPooling3D().ComputeOutputShape([-1, -1, -1, 6]));
    }

    [Fact]
    public void Output_lengths_keep_unknown_dims_and_pool_size_defaults_to_2()
    {
        var layer = new AveragePooling3D();
        Assert.Equal([2, 2, 2], layer.PoolSize);
        Assert.Equal([2, 2, 2], layer.Strides);
        Assert.Equal([-1L, 2, 1, 3], layer.ComputeOutputShape([-1, 5, 3, 3]));
        Assert.Equal([4L, -1, 3, 2], new MaxPooling3D([3], strides: [1], padding: "same", dataFormat: "channels_first").ComputeOutputShape([4, -1, 3, 2]));
        Assert.Throws<IncompatibleShapeException>(() => new MaxPooling3D().EnsureBuilt([4, 4, 3]));
    }

    public static TheoryData<string> Paths => EveryFormat.Paths;

    [Theory]
    [MemberData(nameof(Paths))]
    public void Models_with_3D_pooling_round_trip_through_every_format(string fileName) => EveryFormat.RoundTrip(Volumes, fileName);

    [Fact]
    public void Training_through_3D_pooling_reaches_the_weights_before_it() => EveryFormat.GradientsReachEveryWeight(Volumes(14));

    static Sequential Volumes(int seed)
    {
        Backend.SetRandomSeed(seed);
        var model = new Sequential(new Conv3D(2, [2], padding: "same", inputShape: [4, 4, 4, 1]), new MaxPooling3D(padding: "same"),
                                   new AveragePooling3D([2], strides: [1], padding: "same"), new GlobalMaxPooling3D(keepdims: true),
                                   new GlobalAveragePooling3D(), new Dense(1));
        model.Compile(optimizer: "sgd", loss: "mse");
        return model;
    }
}
