using Layerwise.Initializers;
using Layerwise.Layers;
using Layerwise.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace Layerwise.Tests.Layers;

/// <summary>PReLU (trainable alpha, shared axes, alpha initializer) and ThresholdedReLU (theta): values by hand, configs, every file format, gradients.</summary>
[Collection(GlobalRandomState.Name)]
public class PReLUAndThresholdedReLUTests
{
    public PReLUAndThresholdedReLUTests() => torch.set_num_threads(1);

    [Fact]
    public void Thresholded_relu_keeps_values_above_theta_only()
    {
        using var y = new ThresholdedReLU(theta: 0.5).Invoke(tensor(new float[] { -1, 0.2f, 0.5f, 0.7f, 3 }, [1, 5]));
        Assert.Equal([0f, 0, 0, 0.7f, 3], y.data<float>().ToArray());
        Assert.Equal(1.0, new ThresholdedReLU().Theta);                // Keras' default
    }

    [Fact]
    public void Prelu_scales_negative_values_by_alpha_of_the_input_shape()
    {
        var layer = new PReLU();
        layer.EnsureBuilt([2, 3]);
        Assert.Equal([("alpha", new long[] { 2, 3 }, true)], layer.Weights.Select(w => (w.Name, w.Shape, w.Trainable)));
        Assert.True(layer.Alpha.Value.eq(0).all().item<bool>());     // Keras' zeros initializer: a plain relu at first
        using var alpha = tensor(new float[] { 0.1f, 0.2f, 0.3f, 0.4f, 0.5f, 0.6f }, [2, 3]);
        layer.Alpha.Assign(alpha);
        using var x = tensor(new float[] { -1, 2, -3, 4, -5, -6 }, [1, 2, 3]);
        using var y = layer.Invoke(x);
        Assert.Equal([-0.1f, 2, -0.90000004f, 4, -2.5f, -3.6000001f], y.data<float>().ToArray());
    }

    [Fact]
    public void Shared_axes_give_one_alpha_per_channel()
    {
        var layer = new PReLU(alphaInitializer: new Ones(), sharedAxes: [1, 2]);
        layer.EnsureBuilt([4, 5, 3]);
        Assert.Equal([1L, 1, 3], layer.Alpha.Shape);
        Assert.True(layer.Alpha.Value.eq(1).all().item<bool>());
        layer.Alpha.Assign(full(1, 1, 3, 0.25f));
        Backend.SetRandomSeed(1);
        using var x = randn(2, 4, 5, 3);
        using var y = layer.Invoke(x);
        using var expected = x.clamp_min(0).add(x.clamp_max(0).mul(0.25));
        Assert.True(expected.allclose(y));
        // Unknown sizes are fine on shared axes, not elsewhere (alpha needs them).
        new PReLU(sharedAxes: [1]).EnsureBuilt([-1, 3]);
        Assert.Throws<IncompatibleShapeException>(() => new PReLU().EnsureBuilt([-1, 3]));
    }

    [Fact]
    public void Keras_configs_load()
    {
        var model = Model.FromJson(
            """{"class_name": "Sequential", "config": {"name": "s", "layers": [{"class_name": "PReLU", "config": {"name": "p", "trainable": true, "alpha_initializer": {"class_name": "Zeros", "config": {}}, "alpha_regularizer": null, "alpha_constraint": null, "shared_axes": [1], "batch_input_shape": [null, 4, 2]}}, {"class_name": "ThresholdedReLU", "config": {"name": "t", "theta": 0.3}}]}}""");
        Assert.Equal([1L, 2], model.Layers[0].Weights[0].Shape);
        Assert.Equal(0.3, ((ThresholdedReLU)model.Layers[1]).Theta);
        Assert.Equal("[1]", model.Layers[0].GetConfig()["shared_axes"]!.ToJsonString());
    }

    static Sequential NewModel(int seed)
    {
        Backend.SetRandomSeed(seed);
        var model = new Sequential(new Dense(4, inputShape: [3]), new PReLU(), new Dense(4), new ThresholdedReLU(0.1), new Dense(1));
        model.Compile(optimizer: "sgd", loss: "mse");
        return model;
    }

    [Theory]
    [MemberData(nameof(FormatRoundTrip.Paths), MemberType = typeof(FormatRoundTrip))]
    public void Model_round_trips_through_every_format(string fileName)
    {
        var model = NewModel(3);
        using var x = randn(8, 3, generator: new Generator(2));
        model.Fit(x, randn(8, 1, generator: new Generator(3)), batchSize: 4, epochs: 1, verbose: 0);
        var loaded = FormatRoundTrip.SaveAndLoad(model, fileName, () => NewModel(4));
        PredictionAssert.Same(model, loaded, x);
    }

    [Fact]
    public void Training_updates_alpha()
    {
        var model = NewModel(5);
        var before = TutorialModel.WeightValues(model);
        model.Fit(randn(16, 3, generator: new Generator(2)).mul(3), randn(16, 1, generator: new Generator(4)), batchSize: 16, epochs: 1, verbose: 0);
        WeightAssert.EveryWeightChanged(model, before);
    }
}
