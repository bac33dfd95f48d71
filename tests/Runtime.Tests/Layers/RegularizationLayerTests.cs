using Layerwise.Layers;
using Layerwise.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace Layerwise.Tests.Layers;

/// <summary>
/// SpatialDropout1D/2D/3D, GaussianNoise, GaussianDropout, AlphaDropout and ActivityRegularization:
/// identity at inference, Keras' training-time noise (masks constant per channel, scaled; noise
/// statistics; SELU-preserving constants), the activity penalty in Fit and Evaluate, every file format.
/// </summary>
[Collection(GlobalRandomState.Name)]
public class RegularizationLayerTests
{
    public RegularizationLayerTests() => torch.set_num_threads(1);

    public static TheoryData<string> NoiseLayers => new() { "spatial1d", "spatial2d", "spatial3d", "gaussian_noise", "gaussian_dropout", "alpha_dropout" };

    static Layer NewNoiseLayer(string kind) => kind switch
    {
        "spatial1d" => new SpatialDropout1D(0.5),
        "spatial2d" => new SpatialDropout2D(0.5),
        "spatial3d" => new SpatialDropout3D(0.5),
        "gaussian_noise" => new GaussianNoise(0.3),
        "gaussian_dropout" => new GaussianDropout(0.3),
        _ => new AlphaDropout(0.3),
    };

    static long[] SampleShape(string kind) => kind switch
    {
        "spatial1d" => [5, 4],
        "spatial2d" => [3, 5, 4],
        "spatial3d" => [2, 3, 5, 4],
        _ => [6],
    };

    [Theory]
    [MemberData(nameof(NoiseLayers))]
    public void Inference_passes_inputs_through_and_training_changes_them(string kind)
    {
        Backend.SetRandomSeed(1);
        var layer = NewNoiseLayer(kind);
        using var x = randn([4, .. SampleShape(kind)]);
        using var inference = layer.Invoke(x);
        Assert.True(inference.equal(x).all().item<bool>(), "inference must be the identity");
        using var trained = layer.Invoke(x, training: true);
        Assert.False(trained.equal(x).all().item<bool>(), "training must add noise");
    }

    [Theory]
    [InlineData(1, "channels_last")]
    [InlineData(2, "channels_last")]
    [InlineData(2, "channels_first")]
    [InlineData(3, "channels_last")]
    [InlineData(3, "channels_first")]
    public void Spatial_dropout_drops_whole_channels_and_scales_the_rest(int rank, string dataFormat)
    {
        Backend.SetRandomSeed(2);
        Layer layer = rank switch
        {
            1 => new SpatialDropout1D(0.25),
            2 => new SpatialDropout2D(0.25, dataFormat: dataFormat),
            _ => new SpatialDropout3D(0.25, dataFormat: dataFormat),
        };
        long channels = 64;
        long[] spatial = [.. Enumerable.Repeat(3L, rank)];
        long[] shape = dataFormat == "channels_last" ? [8, .. spatial, channels] : [8, channels, .. spatial];
        using var x = rand(shape).add(1);           // strictly positive: a zero output means dropped
        using var y = layer.Invoke(x, training: true);
        using var ratio = y.div(x);
        // Per sample and channel, every spatial position has the same factor: 0 or 1/(1-rate).
        int channelAxis = dataFormat == "channels_last" ? rank + 1 : 1;
        using var perChannel = ratio.movedim([channelAxis], [1]).reshape(8, channels, -1);
        using var first = perChannel.select(2, 0);
        Assert.True(perChannel.sub(first.unsqueeze(2)).abs().max().item<float>() < 1e-5, "mask must be constant over spatial positions");
        var factors = first.data<float>().ToArray();
        Assert.All(factors, f => Assert.True(Math.Abs(f) < 1e-6 || Math.Abs(f - 1 / 0.75f) < 1e-5, $"factor {f} is neither 0 nor 1/(1-rate)"));
        double dropped = factors.Count(f => Math.Abs(f) < 1e-6) / (double)factors.Length;
        Assert.InRange(dropped, 0.15, 0.35);        // 512 draws at rate 0.25
    }

    [Fact]
    public void Gaussian_noise_adds_noise_of_the_given_deviation_and_gaussian_dropout_multiplies()
    {
        Backend.SetRandomSeed(3);
        using var x = full(200_000, 2f);
        using var noisy = new GaussianNoise(0.5).Invoke(x, training: true);
        using var added = noisy.sub(x);
        Assert.InRange(added.mean().item<float>(), -0.01, 0.01);
        Assert.InRange(added.std().item<float>(), 0.49, 0.51);
        // GaussianDropout(rate 0.2): factor ~ N(1, sqrt(0.2 / 0.8) = 0.5).
        using var dropped = new GaussianDropout(0.2).Invoke(x, training: true);
        using var factor = dropped.div(x);
        Assert.InRange(factor.mean().item<float>(), 0.99, 1.01);
        Assert.InRange(factor.std().item<float>(), 0.49, 0.51);
    }

    [Fact]
    public void Alpha_dropout_sets_dropped_values_to_the_selu_saturation_and_keeps_mean_and_variance()
    {
        Backend.SetRandomSeed(4);
        const double rate = 0.2, alpha = 1.6732632423543772848170429916717, scale = 1.0507009873554804934193349852946;
        double alphaP = -alpha * scale;
        double a = Math.Pow((1 - rate) * (1 + rate * alphaP * alphaP), -0.5), b = -a * alphaP * rate;
        using var x = randn(200_000);
        using var y = new AlphaDropout(rate).Invoke(x, training: true);
        // Each output is a·x + b (kept) or a·alpha' + b (dropped).
        using var kept = y.sub(x.mul(a).add(b)).abs().lt(1e-5);
        using var dropped = y.sub(a * alphaP + b).abs().lt(1e-5);
        Assert.True(kept.logical_or(dropped).all().item<bool>(), "every output must be a kept or a dropped value");
        Assert.InRange(dropped.to_type(ScalarType.Float32).mean().item<float>(), 0.19, 0.21);
        Assert.InRange(y.mean().item<float>(), -0.02, 0.02);
        Assert.InRange(y.std().item<float>(), 0.98, 1.02);
    }

    [Fact]
    public void Activity_regularization_adds_its_penalty_to_the_loss_of_evaluate_and_fit()
    {
        Backend.SetRandomSeed(5);
        var dense = new Dense(3, inputShape: [4]);
        var model = new Sequential(dense, new ActivityRegularization(l1: 0.01, l2: 0.1), new Dense(1));
        model.Compile(optimizer: "sgd", loss: "mse");
        using var x = randn(6, 4, generator: new Generator(1));
        using var y = randn(6, 1, generator: new Generator(2));
        // Hand: mse of the output, plus (l1·Σ|h| + l2·Σh²) / batch of the activations h entering the layer.
        double Expected()
        {
            using var h = x.matmul(dense.Kernel.Value).add(dense.Bias!.Value);
            using var output = model.Predict(x);
            double mse = output.sub(y).square().mean().item<float>();
            return mse + (0.01 * h.abs().sum().item<float>() + 0.1 * h.square().sum().item<float>()) / 6;
        }
        double expected = Expected();
        Assert.Equal(expected, model.Evaluate(x, y, batchSize: 6, verbose: 0)["loss"], 5);
        var history = model.Fit(x, y, batchSize: 6, epochs: 1, verbose: 0);
        Assert.Equal(expected, history["loss"][0], 5);
    }

    [Fact]
    public void Activity_regularization_gradient_shrinks_the_activations()
    {
        // Identical models and data; only the penalty differs, so only it can explain smaller activations.
        double Activations(double l2)
        {
            Backend.SetRandomSeed(6);
            var dense = new Dense(8, inputShape: [4]);
            var model = new Sequential(dense, new ActivityRegularization(l2: l2), new Dense(1));
            model.Compile(optimizer: "sgd", loss: "mse");
            using var x = randn(32, 4, generator: new Generator(3));
            model.Fit(x, zeros(32, 1), batchSize: 32, epochs: 20, verbose: 0);
            using var h = dense.Invoke(x);
            return h.square().sum().item<float>();
        }
        Assert.True(Activations(1.0) < 0.5 * Activations(0.0), "the l2 penalty must reach the weights before the layer");
    }

    [Fact]
    public void Prediction_adds_no_loss_and_configs_use_keras_keys()
    {
        var config = new ActivityRegularization(l1: 0.5).GetConfig();
        Assert.Equal(0.5, config["l1"]!.GetValue<double>());
        Assert.Equal(0.0, config["l2"]!.GetValue<double>());
        Assert.Equal("channels_first", new SpatialDropout2D(0.1, dataFormat: "channels_first").GetConfig()["data_format"]!.GetValue<string>());
        Assert.Equal(0.1, new GaussianNoise(0.1).GetConfig()["stddev"]!.GetValue<double>());
        Assert.Equal(0.1, new AlphaDropout(0.1).GetConfig()["rate"]!.GetValue<double>());
        var model = Model.FromJson(
            """{"class_name": "Sequential", "config": {"name": "s", "layers": [{"class_name": "SpatialDropout1D", "config": {"name": "sd", "rate": 0.3, "noise_shape": null, "seed": null, "batch_input_shape": [null, 5, 2]}}, {"class_name": "GaussianDropout", "config": {"name": "gd", "rate": 0.2}}]}}""");
        Assert.Equal(0.3, ((SpatialDropout1D)model.Layers[0]).Rate);
        Assert.Equal(0.2, ((GaussianDropout)model.Layers[1]).Rate);
    }

    [Theory]
    [InlineData(1.0)]
    [InlineData(-0.1)]
    public void Bad_rates_are_refused(double rate)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new SpatialDropout2D(rate));
        Assert.Throws<ArgumentOutOfRangeException>(() => new AlphaDropout(rate));
        Assert.Throws<ArgumentOutOfRangeException>(() => new GaussianDropout(rate));
    }

    [Fact]
    public void Spatial_dropout_needs_its_rank()
    {
        var e = Assert.Throws<IncompatibleShapeException>(() => new SpatialDropout2D(0.5).EnsureBuilt([4, 3]));
        Assert.Contains("rank 4", e.Message);
    }

    static Sequential NewModel(int seed)
    {
        Backend.SetRandomSeed(seed);
        var model = new Sequential(
            new Dense(12, inputShape: [6]), new Reshape([2, 2, 3]), new SpatialDropout2D(0.2), new Reshape([4, 3]), new SpatialDropout1D(0.2),
            new Reshape([1, 2, 2, 3]), new SpatialDropout3D(0.2), new Flatten(), new GaussianNoise(0.1), new GaussianDropout(0.1),
            new AlphaDropout(0.1), new ActivityRegularization(l1: 0.01, l2: 0.01), new Dense(1));
        model.Compile(optimizer: "adam", loss: "mse");
        return model;
    }

    [Theory]
    [MemberData(nameof(FormatRoundTrip.Paths), MemberType = typeof(FormatRoundTrip))]
    public void Model_with_every_regularization_layer_round_trips(string fileName)
    {
        var model = NewModel(7);
        using var x = randn(8, 6, generator: new Generator(2));
        model.Fit(x, randn(8, 1, generator: new Generator(3)), batchSize: 4, epochs: 1, verbose: 0);
        var loaded = FormatRoundTrip.SaveAndLoad(model, fileName, () => NewModel(8));
        PredictionAssert.Same(model, loaded, x);
    }
}
