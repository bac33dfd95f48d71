using Layerwise.Initializers;
using Layerwise.Layers;
using Layerwise.Models;
using static TorchSharp.torch;

namespace Layerwise.Tests.Layers;

public class LayerTests
{
    [Fact]
    public void Dense_kernel_is_in_by_out_glorot_uniform_and_bias_is_zero()
    {
        Backend.SetRandomSeed(11);
        var dense = new Dense(512, inputShape: [784]);
        dense.EnsureBuilt([784]);
        var kernel = dense.Kernel.ToCpu();
        double limit = Math.Sqrt(6.0 / (784 + 512));

        Assert.Equal([784L, 512L], kernel.shape);
        Assert.True(kernel.abs().max().item<float>() <= limit);
        Assert.True(kernel.abs().max().item<float>() > 0.95 * limit, "draws should reach near the Glorot limit");
        Assert.InRange(kernel.std().item<float>(), 0.9 * limit / Math.Sqrt(3), 1.1 * limit / Math.Sqrt(3));
        Assert.Equal(0f, dense.Bias!.ToCpu().abs().sum().item<float>());
    }

    [Fact]
    public void Dense_computes_activation_of_x_kernel_plus_bias()
    {
        var dense = new Dense(2, activation: "relu", kernelInitializer: new Ones(), biasInitializer: new Zeros());
        using var y = dense.Invoke(tensor(new float[] { 1, -3, 2, 0.5f }, [2, 2]));
        Assert.Equal(new float[] { 0, 0, 2.5f, 2.5f }, y.data<float>().ToArray());   // rows: 1-3 -> relu 0; 2+0.5
    }

    [Theory]
    [InlineData("linear", -1.0, -1.0)]
    [InlineData("relu", -1.0, 0.0)]
    [InlineData("sigmoid", 0.0, 0.5)]
    [InlineData("tanh", 0.5, 0.46211715726000974)]
    public void Activation_layer_applies_the_named_function(string name, double input, double expected)
    {
        var layer = new Activation(name);
        using var y = layer.Invoke(tensor(new float[] { (float)input }, [1, 1]));
        Assert.Equal(expected, y.item<float>(), 6);
    }

    [Fact]
    public void Softmax_activation_normalises_the_last_axis()
    {
        using var y = new Activation("softmax").Invoke(tensor(new float[] { 0, MathF.Log(2) }, [1, 2]));
        var values = y.data<float>().ToArray();
        Assert.Equal(1 / 3.0, values[0], 5);
        Assert.Equal(2 / 3.0, values[1], 5);
    }

    [Fact]
    public void Dropout_zeroes_about_rate_and_scales_the_rest_only_in_training()
    {
        Backend.SetRandomSeed(2);
        var dropout = new Dropout(0.2);
        using var x = ones(100, 100);

        using var trained = dropout.Invoke(x, training: true);
        using var inferred = dropout.Invoke(x, training: false);

        double zeroFraction = trained.eq(0).to_type(ScalarType.Float32).mean().item<float>();
        Assert.InRange(zeroFraction, 0.17, 0.23);
        Assert.Equal(1.25f, trained.max().item<float>(), 5);
        Assert.True(inferred.allclose(x, rtol: 0, atol: 0));
    }

    [Fact]
    public void Flatten_keeps_the_batch_and_multiplies_the_rest()
    {
        var model = new Sequential(new Flatten(inputShape: [28, 28]), new Dense(3));
        using var y = model.Predict(zeros(5, 28, 28));
        Assert.Equal([5L, 3L], y.shape);
        Assert.Contains("(None, 784)", model.SummaryText());
    }

    [Fact]
    public void Input_layer_sets_the_shape_and_is_not_listed()
    {
        var model = new Sequential(new InputLayer([4]), new Dense(2));
        Assert.Equal([4L], model.InputShape!);
        Assert.Single(model.Layers);
        Assert.Equal(10, model.CountParams());
    }

    [Fact]
    public void Unknown_activation_and_bad_arguments_are_rejected_with_the_accepted_values()
    {
        var e = Assert.Throws<ArgumentException>(() => new Dense(3, activation: "relu6x"));
        Assert.Contains("relu6x", e.Message);
        Assert.Contains("softmax", e.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => new Dropout(1.0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Dense(0));
    }
}
