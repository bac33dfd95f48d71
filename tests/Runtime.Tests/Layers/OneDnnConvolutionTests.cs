using Layerwise.Layers;
using TorchSharp;
using static TorchSharp.torch;

namespace Layerwise.Tests.Layers;

/// <summary>
/// libtorch 2.10's oneDNN float32 convolution gave wrong values (off by up to 8, sometimes NaN) on this
/// project's CI machine for a small Conv1D, in plain TorchSharp too; the runtime turns oneDNN off at
/// start. The reference here is the convolution written as shifted matrix products in float64.
/// </summary>
[Collection(GlobalRandomState.Name)]
public class OneDnnConvolutionTests
{
    public OneDnnConvolutionTests() => TutorialModel.SingleThread();

    [Fact]
    public void OneDnn_is_off_unless_asked_for()
    {
        if (Environment.GetEnvironmentVariable("LAYERWISE_ONEDNN") == "1") return; // the user asked for it: nothing to check
        Assert.False(Backend.OneDnnEnabled);
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
