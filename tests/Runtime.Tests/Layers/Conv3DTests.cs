using Layerwise.Layers;
using Layerwise.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace Layerwise.Tests.Layers;

/// <summary>
/// Conv3D on the shared BaseConv (Conv1D and Conv2D keep their own tests): values against a direct
/// loop over Keras' definition (channels_last, kernel [kd, kh, kw, in, out], TensorFlow's "same"
/// split), channels_first, groups, Keras' output lengths with unknown (-1) spatial dims, every
/// file format and training.
/// </summary>
[Collection(GlobalRandomState.Name)]
public class Conv3DTests
{
    public Conv3DTests() => torch.set_num_threads(1);

    [Theory]
    [InlineData("valid", 1, 1)]
    [InlineData("same", 1, 1)]
    [InlineData("same", 2, 1)]
    [InlineData("same", 1, 2)]
    public void Conv3D_matches_a_direct_implementation(string padding, int stride, int dilation)
    {
        Backend.SetRandomSeed(5);
        long[] size = [4, 5, 3];
        int[] k = [2, 3, 2];
        var conv = new Conv3D(2, k, strides: [stride], padding: padding, dilationRate: [dilation], biasInitializer: new Initializers.RandomNormal(), inputShape: [.. size, 2]);
        using var x = randn([2, 4, 5, 3, 2]);
        using var y = conv.Invoke(x);
        var outShape = conv.ComputeOutputShape([.. size, 2]);
        Assert.Equal([2L, .. outShape], y.shape);
        var kernel = conv.Kernel.ToCpu().data<float>().ToArray();
        var bias = conv.Bias!.ToCpu().data<float>().ToArray();
        var input = x.data<float>().ToArray();
        var actual = y.data<float>().ToArray();
        var before = padding == "same" ? size.Select((n, a) => Before((int)n, k[a], stride, dilation)).ToArray() : [0, 0, 0];
        int i = 0;
        for (int b = 0; b < 2; b++)
            for (int od = 0; od < outShape[0]; od++)
                for (int oh = 0; oh < outShape[1]; oh++)
                    for (int ow = 0; ow < outShape[2]; ow++)
                        for (int f = 0; f < 2; f++)
                        {
                            double sum = bias[f];
                            for (int kd = 0; kd < k[0]; kd++)
                                for (int kh = 0; kh < k[1]; kh++)
                                    for (int kw = 0; kw < k[2]; kw++)
                                    {
                                        int id = od * stride + kd * dilation - before[0], ih = oh * stride + kh * dilation - before[1], iw = ow * stride + kw * dilation - before[2];
                                        if (id < 0 || id >= 4 || ih < 0 || ih >= 5 || iw < 0 || iw >= 3) continue;
                                        for (int c = 0; c < 2; c++)
                                            sum += input[(((b * 4 + id) * 5 + ih) * 3 + iw) * 2 + c] * kernel[((((kd * 3 + kh) * 2 + kw) * 2 + c) * 2) + f];
                                    }
                            Assert.True(Math.Abs(sum - actual[i++]) < 1e-5, $"output ({b},{od},{oh},{ow},{f}): expected {sum}, got {actual[i - 1]}");
                        }
    }

    [Fact]
    public void Channels_first_and_groups_give_the_channels_last_result_per_group()
    {
        Backend.SetRandomSeed(6);
        var last = new Conv3D(4, [2], groups: 2, padding: "same", inputShape: [3, 3, 3, 4]);
        using var x = randn([1, 3, 3, 3, 4]);
        using var expected = last.Invoke(x);
        var first = new Conv3D(4, [2], groups: 2, padding: "same", dataFormat: "channels_first", inputShape: [4, 3, 3, 3]);
        first.EnsureBuilt([4, 3, 3, 3]);
        first.Kernel.Assign(last.Kernel.Value);
        first.Bias!.Assign(last.Bias!.Value);
        Assert.Equal([2L, 2, 2, 2, 4], last.Kernel.Shape);
        using var y = first.Invoke(x.permute(0, 4, 1, 2, 3));
        WeightAssert.Close(expected.data<float>().ToArray(), y.permute(0, 2, 3, 4, 1).contiguous().data<float>().ToArray());
        // Group 0 (filters 0, 1) sees only input channels 0, 1: zeroing channels 2, 3 leaves those outputs alone.
        using var half = x * tensor(new[] { 1f, 1f, 0f, 0f });
        using var yHalf = last.Invoke(half);
        WeightAssert.Close(expected.narrow(4, 0, 2).contiguous().data<float>().ToArray(), yHalf.narrow(4, 0, 2).contiguous().data<float>().ToArray());
    }

    [Fact]
    public void Output_lengths_follow_Keras_conv_output_length_and_keep_unknown_dims()
    {
        // valid: ceil((n - (k - 1) * d) / s); same: ceil(n / s).
        Assert.Equal([3L, 2, 4, 6], new Conv3D(6, [3, 2, 1], strides: [2]).ComputeOutputShape([7, 4, 8, 5]));
        Assert.Equal([4L, 2, 4, 6], new Conv3D(6, [3, 2, 1], strides: [2], padding: "same").ComputeOutputShape([7, 4, 8, 5]));
        Assert.Equal([-1L, 4, 1, 6], new Conv3D(6, [3], dilationRate: [2]).ComputeOutputShape([-1, 8, 5, 5]));
        var conv = new Conv3D(1, [1]);
        var e = Assert.Throws<IncompatibleShapeException>(() => conv.EnsureBuilt([4, 4, 4, -1]));
        Assert.Contains("channel dimension of the inputs to a Conv3D layer", e.Message);
        Assert.Throws<IncompatibleShapeException>(() => new Conv3D(1, [1]).EnsureBuilt([4, 4, 1]));
    }

    [Fact]
    public void A_volume_smaller_than_the_window_is_a_managed_error()
    {
        var conv = new Conv3D(2, [3], name: "small_conv3d");
        var e = Assert.Throws<IncompatibleShapeException>(() => conv.Invoke(zeros([1, 2, 5, 5, 1])));
        Assert.Equal("small_conv3d", e.LayerName);
        Assert.Contains("(None, 0, 3, 3, 2)", e.Message);
        Assert.Throws<IncompatibleShapeException>(() => new MaxPooling3D([3]).Invoke(zeros([1, 2, 5, 5, 1])));
        Assert.Throws<IncompatibleShapeException>(() => new DepthwiseConv2D([3]).Invoke(zeros([1, 2, 5, 1])));
    }

    public static TheoryData<string> Paths => EveryFormat.Paths;

    [Theory]
    [MemberData(nameof(Paths))]
    public void Conv3D_models_round_trip_through_every_format(string fileName) => EveryFormat.RoundTrip(Volumes, fileName);

    [Fact]
    public void Training_reaches_the_Conv3D_kernel_and_bias() => EveryFormat.GradientsReachEveryWeight(Volumes(11));

    static Sequential Volumes(int seed)
    {
        Backend.SetRandomSeed(seed);
        var model = new Sequential(new Conv3D(3, [2, 2, 2], strides: [1, 2, 1], padding: "same", activation: "tanh", inputShape: [4, 4, 3, 2]),
                                   new Flatten(), new Dense(1));
        model.Compile(optimizer: "sgd", loss: "mse");
        return model;
    }

    static int Before(int input, int kernel, int stride, int dilation)
    {
        int effective = (kernel - 1) * dilation + 1;
        int output = (input + stride - 1) / stride;
        return Math.Max((output - 1) * stride + effective - input, 0) / 2;
    }
}
