using Layerwise.Layers;
using Layerwise.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace Layerwise.Tests.Layers;

/// <summary>
/// libtorch 2.10's oneDNN float32 convolution gave wrong values (off by up to 8, sometimes NaN) on this
/// project's CI machine for many convolutions, in plain TorchSharp too; the runtime keeps oneDNN away
/// from those (OneDnnGuard). References: the convolution written as shifted matrix products in float64,
/// and the same computation with oneDNN off everywhere.
/// </summary>
[Collection(GlobalRandomState.Name)]
public class OneDnnConvolutionTests
{
    public OneDnnConvolutionTests() => TutorialModel.SingleThread();

    [Fact]
    public void OneDnn_is_on_unless_turned_off()
    {
        if (Environment.GetEnvironmentVariable("LAYERWISE_ONEDNN") == "0") return; // the user turned it off: nothing to check
        Assert.True(Backend.OneDnnEnabled);
    }

    /// <summary>
    /// Convolutions that libtorch's oneDNN computed wrongly here (bench/Conformance --onednn-characterize):
    /// with oneDNN on (the default) each must give the same bits as with oneDNN off everywhere.
    /// </summary>
    public static TheoryData<string> AffectedConvolutions => ["conv1d in 24", "conv2d in 24", "conv2d in 40 stride 2", "conv3d in 8",
                                                              "conv2d groups 2 in 34", "depthwise2d in 20 dilation 2"];

    static (Layer Layer, Tensor Input) Affected(string name)
    {
        Backend.SetRandomSeed(11);
        return name switch
        {
            "conv1d in 24" => (new Conv1D(24, [2], padding: "same"), rand(4, 3, 24)),
            "conv2d in 24" => (new Conv2D(16, [3, 3]), rand(4, 6, 6, 24)),
            "conv2d in 40 stride 2" => (new Conv2D(16, [3, 3], strides: [2, 2]), rand(4, 6, 6, 40)),
            "conv3d in 8" => (new Conv3D(16, [5, 5, 5]), rand([32, 5, 5, 5, 8])),
            "conv2d groups 2 in 34" => (new Conv2D(34, [3, 3], groups: 2), rand(4, 6, 6, 34)),
            _ => (new DepthwiseConv2D([3, 3], dilationRate: [2, 2], depthMultiplier: 2), rand(2, 20, 20, 20)),
        };
    }

    [Theory]
    [MemberData(nameof(AffectedConvolutions))]
    public void Affected_convolutions_give_the_same_bits_as_with_oneDNN_off(string name)
    {
        var (layer, x) = Affected(name);
        var guarded = layer.Invoke(x);
        Backend.OneDnnEnabled = false;
        try
        {
            var reference = layer.Invoke(x);
            Assert.True(guarded.eq(reference).all().item<bool>(),
                $"{name}: max |diff| {(guarded - reference).abs().max().item<float>()} between oneDNN on (guarded) and off");
        }
        finally { Backend.OneDnnEnabled = true; }
    }

    /// <summary>
    /// Input gradients oneDNN got wrong (8 and 24 filters): the Fit step that runs backward through them
    /// must give the weights that the same step gives with oneDNN off everywhere (only rounding apart:
    /// the Dense layers in front may run other kernels). Channels-first, as the fault showed in contiguous
    /// (N, C, H, W) inputs; unguarded, the conv's input gradient was off by ~30 %.
    /// </summary>
    [Theory]
    [InlineData(8, 1)]
    [InlineData(24, 1)]
    public void Fit_backward_through_affected_input_gradients_matches_oneDNN_off(int filters, int stride)
    {
        Tensor[] Train(bool oneDnn)
        {
            Backend.OneDnnEnabled = oneDnn;
            Backend.SetRandomSeed(3);
            var model = new Sequential(new Dense(6 * 6 * 16, inputShape: [10]), new Reshape([16, 6, 6]),
                                       new Conv2D(filters, [3, 3], strides: [stride, stride], dataFormat: "channels_first"), new Flatten(), new Dense(1));
            model.Compile(new Layerwise.Training.Optimizers.SGD(0.1), "mse");
            Backend.SetRandomSeed(4);
            model.Fit(rand(32, 10), rand(32, 1), epochs: 1, batchSize: 16, verbose: 0, shuffle: false);
            return [.. model.Weights.Select(w => w.Value.clone())];
        }
        try
        {
            var reference = Train(false);
            var guarded = Train(true);
            for (int i = 0; i < reference.Length; i++)
            {
                double scale = reference[i].abs().max().item<float>() + 1e-6;
                double worst = (guarded[i] - reference[i]).abs().max().item<float>() / scale;
                Assert.True(worst < 1e-4, $"weight {i} differs by {worst:g3} (relative) from the oneDNN-off step");
            }
        }
        finally { Backend.OneDnnEnabled = true; }
    }

    [Theory]
    [InlineData(3, 24, 24)]   // the shape found wrong: 3 steps, kernel 2, "same" pads one step after
    [InlineData(2, 48, 24)]
    [InlineData(6, 1, 6)]
    public void Conv1D_same_padding_matches_shifted_matrix_products(int steps, int channels, int filters)
    {
        Backend.SetRandomSeed(5);
        var layer = new Conv1D(filters, [2], padding: "same");
        var x = rand(4, steps, channels);
        var y = layer.Invoke(x);

        // "same" with kernel 2 and stride 1 pads one zero step after (TensorFlow's split).
        var padded = cat([x.to(ScalarType.Float64), zeros(4, 1, channels, ScalarType.Float64)], 1);
        var kernel = layer.Kernel.Value.to(ScalarType.Float64);      // [k, in, out]
        var expected = layer.Bias!.Value.to(ScalarType.Float64).expand(4, steps, filters).clone();
        for (int k = 0; k < 2; k++)
            expected += padded.narrow(1, k, steps).matmul(kernel[k]);

        var worst = (y.to(ScalarType.Float64) - expected).abs().max().item<double>();
        Assert.True(worst < 1e-5, $"Conv1D differs from the hand computation by {worst}");
    }
}
