using Layerwise.Layers;
using TorchSharp;
using static TorchSharp.torch;

namespace Layerwise.Tests.Layers;

/// <summary>
/// Conv2D and MaxPooling2D against a direct (loop) implementation of Keras/TensorFlow semantics:
/// channels_last, kernel [kh, kw, in, out], "same" padding with the odd pixel after, strides.
/// </summary>
public class ConvolutionLayerTests
{
    public ConvolutionLayerTests() => torch.set_num_threads(1);

    [Theory]
    [InlineData("valid", 1, 1)]
    [InlineData("same", 1, 1)]
    [InlineData("same", 2, 1)]
    [InlineData("valid", 2, 1)]
    [InlineData("same", 1, 2)]
    public void Conv2D_matches_a_direct_implementation(string padding, int stride, int dilation)
    {
        Backend.SetRandomSeed(31);
        var conv = new Conv2D(3, [3, 2], strides: [stride, stride], padding: padding, dilationRate: [dilation, dilation], inputShape: [7, 6, 2]);
        using var x = randn(2, 7, 6, 2);
        using var y = conv.Invoke(x);
        var kernel = conv.Kernel.ToCpu().data<float>().ToArray();
        var bias = conv.Bias!.ToCpu().data<float>().ToArray();
        var input = x.data<float>().ToArray();
        long[] outShape = conv.ComputeOutputShape([7, 6, 2]);
        Assert.Equal([2L, .. outShape], y.shape);
        var (padTop, padLeft) = padding == "same" ? (Before(7, 3, stride, dilation), Before(6, 2, stride, dilation)) : (0, 0);
        var actual = y.data<float>().ToArray();
        int i = 0;
        for (int b = 0; b < 2; b++)
            for (int oh = 0; oh < outShape[0]; oh++)
                for (int ow = 0; ow < outShape[1]; ow++)
                    for (int f = 0; f < 3; f++)
                    {
                        double sum = bias[f];
                        for (int kh = 0; kh < 3; kh++)
                            for (int kw = 0; kw < 2; kw++)
                            {
                                int ih = oh * stride + kh * dilation - padTop, iw = ow * stride + kw * dilation - padLeft;
                                if (ih < 0 || ih >= 7 || iw < 0 || iw >= 6) continue;
                                for (int c = 0; c < 2; c++)
                                    sum += input[((b * 7 + ih) * 6 + iw) * 2 + c] * kernel[((kh * 2 + kw) * 2 + c) * 3 + f];
                            }
                        Assert.True(Math.Abs(sum - actual[i++]) < 1e-5, $"output ({b},{oh},{ow},{f}): expected {sum}, got {actual[i - 1]}");
                    }
    }

    [Theory]
    [InlineData("valid", 2, 2)]
    [InlineData("same", 2, 2)]
    [InlineData("same", 3, 2)]
    [InlineData("valid", 3, 1)]
    public void MaxPooling2D_matches_a_direct_implementation(string padding, int pool, int stride)
    {
        var layer = new MaxPooling2D([pool, pool], strides: [stride, stride], padding: padding, inputShape: [5, 7, 2]);
        using var x = randn(1, 5, 7, 2);
        using var y = layer.Invoke(x);
        long[] outShape = layer.ComputeOutputShape([5, 7, 2]);
        Assert.Equal([1L, .. outShape], y.shape);
        var input = x.data<float>().ToArray();
        var actual = y.data<float>().ToArray();
        var (top, left) = padding == "same" ? (Before(5, pool, stride, 1), Before(7, pool, stride, 1)) : (0, 0);
        int i = 0;
        for (int oh = 0; oh < outShape[0]; oh++)
            for (int ow = 0; ow < outShape[1]; ow++)
                for (int c = 0; c < 2; c++)
                {
                    float best = float.NegativeInfinity;
                    for (int ph = 0; ph < pool; ph++)
                        for (int pw = 0; pw < pool; pw++)
                        {
                            int ih = oh * stride + ph - top, iw = ow * stride + pw - left;
                            if (ih >= 0 && ih < 5 && iw >= 0 && iw < 7) best = Math.Max(best, input[(ih * 7 + iw) * 2 + c]);
                        }
                    Assert.Equal(best, actual[i++]);
                }
    }

    [Fact]
    public void ReLU_layer_follows_Keras_formula()
    {
        var relu = new ReLU(maxValue: 1.5, negativeSlope: 0.2, threshold: 0.5);
        using var x = tensor(new float[] { -1, 0.2f, 0.5f, 1, 2 }).reshape(1, 5);
        using var y = relu.Invoke(x);
        Assert.Equal(new[] { -0.3f, -0.06f, 0.5f, 1f, 1.5f }, y.data<float>().ToArray().Select(v => MathF.Round(v, 5)));
    }

    [Fact]
    public void Default_names_are_Keras_snake_case()
    {
        Assert.Equal("conv2d", UniqueNames.ToSnakeCase("Conv2D"));
        Assert.Equal("max_pooling2d", UniqueNames.ToSnakeCase("MaxPooling2D"));
        Assert.Equal("re_lu", UniqueNames.ToSnakeCase("ReLU"));
        Assert.Equal("sparse_categorical_accuracy", UniqueNames.ToSnakeCase("SparseCategoricalAccuracy"));
        Assert.Equal("sgd", UniqueNames.ToSnakeCase("SGD"));
        Assert.StartsWith("conv2d", new Conv2D(1, [1]).Name);
    }

    static int Before(int input, int kernel, int stride, int dilation)
    {
        int effective = (kernel - 1) * dilation + 1;
        int output = (input + stride - 1) / stride;
        return Math.Max((output - 1) * stride + effective - input, 0) / 2;
    }
}
