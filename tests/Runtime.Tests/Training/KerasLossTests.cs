using System.Text.Json.Nodes;
using Layerwise.Serialization;
using Layerwise.Training.Losses;
using Layerwise.Training.Optimizers;
using TorchSharp;
using static TorchSharp.torch;

namespace Layerwise.Tests.Training;

/// <summary>
/// The Keras 2 built-in losses against the "Standalone usage" examples of their docstrings in tf.keras 2
/// (<c>keras/losses.py</c>, the numbers Keras prints, to the three decimals it prints), with and without
/// sample weights, and against hand computation with plain TorchSharp ops; every alias of
/// <c>losses.get()</c>; configs through a compile config and back.
/// </summary>
public class KerasLossTests
{
    static Tensor T(float[] values, params long[] shape) => tensor(values, shape);

    static readonly Tensor ZeroOneTargets = T([0f, 1f, 0f, 0f], 2, 2);           // [[0., 1.], [0., 0.]]
    static readonly Tensor OnesPredictions = T([1f, 1f, 1f, 0f], 2, 2);          // [[1., 1.], [1., 0.]]
    static readonly Tensor SoftPredictions = T([0.6f, 0.4f, 0.4f, 0.6f], 2, 2);  // [[0.6, 0.4], [0.4, 0.6]]
    static readonly Tensor HalfOnesPredictions = T([1f, 1f, 0f, 0f], 2, 2);      // [[1., 1.], [0., 0.]]

    public static TheoryData<string, double, double[], double> DocstringExamples() => new()
    {
        // loss, value without weights, sample weights, value with them
        { "mae", 0.5, [0.7, 0.3], 0.25 },
        { "mape", 50.0, [0.7, 0.3], 20.0 },
        { "msle", 0.240, [0.7, 0.3], 0.120 },
        { "hinge", 1.3, [1, 0], 0.55 },
        { "squared_hinge", 1.86, [1, 0], 0.73 },
        { "categorical_hinge", 1.4, [1, 0], 0.6 },
        { "poisson", 0.5, [0.8, 0.2], 0.4 },
        { "log_cosh", 0.108, [0.8, 0.2], 0.087 },
        { "kl_divergence", 0.458, [0.8, 0.2], 0.366 },
        { "huber", 0.155, [1, 0], 0.09 },
        { "cosine_similarity", -0.5, [0.8, 0.2], -0.0999 },
    };

    /// <summary>The (y_true, y_pred) each docstring uses.</summary>
    static (Tensor, Tensor) DocstringInputs(string loss) => loss switch
    {
        "mae" or "msle" => (ZeroOneTargets, OnesPredictions),
        "mape" => (T([2f, 1f, 2f, 3f], 2, 2), OnesPredictions),
        "poisson" or "log_cosh" => (ZeroOneTargets, HalfOnesPredictions),
        "cosine_similarity" => (T([0f, 1f, 1f, 1f], 2, 2), T([1f, 0f, 1f, 1f], 2, 2)),
        _ => (ZeroOneTargets, SoftPredictions),
    };

    [Theory]
    [MemberData(nameof(DocstringExamples))]
    public void Loss_gives_the_value_of_its_keras_docstring_example_with_and_without_sample_weights(
        string name, double expected, double[] sampleWeight, double expectedWeighted)
    {
        var (yTrue, yPred) = DocstringInputs(name);
        var loss = Loss.Get(name);
        Assert.Equal(expected, loss.Call(yTrue, yPred).item<float>(), 0.0006);
        using var weights = tensor(sampleWeight.Select(w => (float)w).ToArray());
        Assert.Equal(expectedWeighted, loss.Call(yTrue, yPred, weights).item<float>(), 0.0006);
    }

    [Fact]
    public void Huber_with_a_delta_matches_plain_torch_ops()
    {
        using var yTrue = T([0f, 2f, -1f, 0.3f, 1f, 4f], 2, 3);
        using var yPred = T([0.2f, 0.5f, 1f, 0.1f, -1f, 4.4f], 2, 3);
        double delta = 0.5;
        using var error = yPred - yTrue;
        using var absolute = error.abs();
        using var elementwise = where(absolute <= delta, 0.5 * error * error, delta * absolute - 0.5 * delta * delta);
        double expected = elementwise.mean().item<float>();
        Assert.Equal(expected, new Huber(delta).Call(yTrue, yPred).item<float>(), 6);
    }

    [Fact]
    public void Log_cosh_matches_log_of_cosh_and_does_not_overflow()
    {
        using var yTrue = T([0f, 0f, 0f, 0f], 2, 2);
        using var yPred = T([0.5f, -2f, 3f, 100f], 2, 2);
        double Expected(double x) => Math.Log(Math.Cosh(x));
        double small = (Expected(0.5) + Expected(-2) + Expected(3)) / 3;
        using var perSample = new LogCosh().PerSample(yTrue, yPred);
        Assert.Equal((Expected(0.5) + Expected(-2)) / 2, perSample[0].item<float>(), 5);
        Assert.Equal((Expected(3) + (100 - Math.Log(2))) / 2, perSample[1].item<float>(), 4);   // cosh(100) overflows float32
        Assert.True(small > 0);
    }

    [Fact]
    public void Categorical_hinge_and_kl_divergence_match_plain_torch_ops_on_three_classes()
    {
        using var yTrue = T([0f, 0f, 1f, 0.2f, 0.5f, 0.3f], 2, 3);
        using var yPred = T([0.1f, 0.7f, 0.2f, 0.3f, 0.3f, 0.4f], 2, 3);
        using var positive = (yTrue * yPred).sum(-1);
        using var negative = ((1 - yTrue) * yPred).amax([-1L]);
        double hinge = (negative - positive + 1).clamp_min(0).mean().item<float>();
        Assert.Equal(hinge, new CategoricalHinge().Call(yTrue, yPred).item<float>(), 6);
        using var clippedTrue = yTrue.clamp(1e-7, 1);
        double kld = (clippedTrue * (clippedTrue / yPred).log()).sum(-1).mean().item<float>();
        Assert.Equal(kld, new KLDivergence().Call(yTrue, yPred).item<float>(), 6);
    }

    [Fact]
    public void Label_smoothing_squeezes_crossentropy_targets_as_keras_does()
    {
        using var oneHot = T([0f, 1f, 0f, 0f, 0f, 1f], 2, 3);
        using var probabilities = T([0.05f, 0.95f, 0f, 0.1f, 0.8f, 0.1f], 2, 3);
        double ls = 0.1;
        using var smoothed = oneHot * (1 - ls) + ls / 3;
        double categorical = (-(smoothed * probabilities.clamp(1e-7, 1 - 1e-7).log()).sum(-1)).mean().item<float>();
        Assert.Equal(categorical, new CategoricalCrossentropy(labelSmoothing: ls).Call(oneHot, probabilities).item<float>(), 5);

        using var binaryTargets = T([0f, 1f, 0f, 0f], 2, 2);
        using var logits = T([-18.6f, 0.51f, 2.94f, -12.8f], 2, 2);
        using var squeezed = binaryTargets * (1 - ls) + 0.5 * ls;
        using var p = logits.sigmoid();
        double binary = (-(squeezed * p.log() + (1 - squeezed) * (1 - p).log())).mean().item<float>();
        Assert.Equal(binary, new BinaryCrossentropy(fromLogits: true, labelSmoothing: ls).Call(binaryTargets, logits).item<float>(), 4);
        // Keras' docstring value without smoothing: 0.865.
        Assert.Equal(0.865, new BinaryCrossentropy(fromLogits: true).Call(binaryTargets, logits).item<float>(), 3);

        var config = CompileConfig.WriteCompileConfig(new SGD(), new CategoricalCrossentropy(labelSmoothing: 0.2), []);
        var read = (CategoricalCrossentropy)CompileConfig.Read(JsonNode.Parse(config.ToJsonString())!.AsObject(), "compile_config").Loss;
        Assert.Equal(0.2, read.LabelSmoothing);
    }

    [Fact]
    public void Hinge_keeps_labels_that_are_already_minus_one_and_one()
    {
        using var yTrue = T([-1f, 1f], 1, 2);
        using var yPred = T([0.3f, 0.4f], 1, 2);
        double expected = (Math.Max(1 + 0.3, 0) + Math.Max(1 - 0.4, 0)) / 2;
        Assert.Equal(expected, new Hinge().Call(yTrue, yPred).item<float>(), 6);
    }

    [Theory]
    [InlineData("mean_absolute_error", typeof(MeanAbsoluteError))]
    [InlineData("mae", typeof(MeanAbsoluteError))]
    [InlineData("MAE", typeof(MeanAbsoluteError))]
    [InlineData("MeanAbsoluteError", typeof(MeanAbsoluteError))]
    [InlineData("mape", typeof(MeanAbsolutePercentageError))]
    [InlineData("MAPE", typeof(MeanAbsolutePercentageError))]
    [InlineData("mean_absolute_percentage_error", typeof(MeanAbsolutePercentageError))]
    [InlineData("msle", typeof(MeanSquaredLogarithmicError))]
    [InlineData("mean_squared_logarithmic_error", typeof(MeanSquaredLogarithmicError))]
    [InlineData("huber", typeof(Huber))]
    [InlineData("huber_loss", typeof(Huber))]
    [InlineData("logcosh", typeof(LogCosh))]
    [InlineData("log_cosh", typeof(LogCosh))]
    [InlineData("kld", typeof(KLDivergence))]
    [InlineData("KLD", typeof(KLDivergence))]
    [InlineData("kl_divergence", typeof(KLDivergence))]
    [InlineData("kullback_leibler_divergence", typeof(KLDivergence))]
    [InlineData("KLDivergence", typeof(KLDivergence))]
    [InlineData("poisson", typeof(Poisson))]
    [InlineData("hinge", typeof(Hinge))]
    [InlineData("squared_hinge", typeof(SquaredHinge))]
    [InlineData("categorical_hinge", typeof(CategoricalHinge))]
    [InlineData("cosine_similarity", typeof(CosineSimilarity))]
    [InlineData("mse", typeof(MeanSquaredError))]
    [InlineData("MSE", typeof(MeanSquaredError))]
    [InlineData("bce", typeof(BinaryCrossentropy))]
    public void Every_alias_keras_losses_get_accepts_resolves(string name, Type expected)
    {
        Assert.IsType(expected, Loss.Get(name));
    }

    [Fact]
    public void Default_names_are_keras_names()
    {
        Assert.Equal("huber_loss", new Huber().Name);
        Assert.Equal("kl_divergence", new KLDivergence().Name);
        Assert.Equal("log_cosh", new LogCosh().Name);
        Assert.Equal("mean_absolute_percentage_error", new MeanAbsolutePercentageError().Name);
        Assert.Equal("cosine_similarity", new CosineSimilarity().Name);
    }

    public static TheoryData<string> AllLosses() =>
        ["mae", "mape", "msle", "huber", "log_cosh", "kld", "poisson", "hinge", "squared_hinge", "categorical_hinge", "cosine_similarity"];

    [Theory]
    [MemberData(nameof(AllLosses))]
    public void Loss_config_round_trips_through_keras_2_and_keras_3_compile_configs(string name)
    {
        Loss original = name switch
        {
            "huber" => new Huber(delta: 0.25, name: "my_huber"),
            "cosine_similarity" => new CosineSimilarity(axis: 1),
            _ => Loss.Get(name),
        };
        foreach (var config in new[] { CompileConfig.WriteTrainingConfig(new SGD(), original, []), CompileConfig.WriteCompileConfig(new SGD(), original, []) })
        {
            var text = config.ToJsonString();
            var read = CompileConfig.Read(JsonNode.Parse(text)!.AsObject(), "training_config").Loss;
            Assert.Equal(original.GetType(), read.GetType());
            Assert.Equal(original.Name, read.Name);
            if (original is Huber huber) Assert.Equal(huber.Delta, ((Huber)read).Delta);
            if (original is CosineSimilarity cosine) Assert.Equal(cosine.Axis, ((CosineSimilarity)read).Axis);
        }
    }

    [Fact]
    public void Keras_function_names_in_a_file_resolve_and_unknown_ones_are_refused_by_name()
    {
        var config = JsonNode.Parse("""{"optimizer_config": {"class_name": "Adam", "config": {}}, "loss": "kullback_leibler_divergence", "metrics": []}""")!.AsObject();
        Assert.IsType<KLDivergence>(CompileConfig.Read(config, "training_config").Loss);
        var bad = JsonNode.Parse("""{"optimizer_config": "adam", "loss": "my_custom_loss"}""")!.AsObject();
        var e = Assert.Throws<ConfigException>(() => CompileConfig.Read(bad, "training_config"));
        Assert.Contains("my_custom_loss", e.Message);
        Assert.Contains("huber", e.Message);
    }

    [Fact]
    public void Mismatched_shapes_are_refused_before_any_tensor_math()
    {
        using var yTrue = T([0f, 1f], 1, 2);
        using var yPred = T([0f, 1f, 2f], 1, 3);
        foreach (var name in new[] { "mae", "huber", "kld", "hinge", "cosine_similarity", "poisson" })
            Assert.Throws<IncompatibleShapeException>(() => Loss.Get(name).Call(yTrue, yPred));
    }

    [Fact]
    public void A_model_trains_with_each_new_loss_and_the_loss_falls()
    {
        TutorialModel.SingleThread();
        var generator = new Generator(3);
        using var x = rand([32, 4], generator: generator);
        using var y = rand([32, 2], generator: generator);
        foreach (var name in new[] { "mae", "msle", "huber", "log_cosh", "poisson", "squared_hinge", "kld" })
        {
            var model = new Layerwise.Models.Sequential(new Layerwise.Layers.Dense(2, activation: "softplus", inputShape: [4]));
            model.Compile(new Adam(0.05), name);
            var history = model.Fit(x, y, batchSize: 32, epochs: 20, verbose: 0, shuffle: false);
            var losses = history["loss"];
            Assert.True(losses[^1] < losses[0], $"{name}: loss went from {losses[0]} to {losses[^1]}");
        }
    }
}
