using System.Text.Json.Nodes;
using Layerwise.Layers;
using Layerwise.Models;
using Layerwise.Serialization;
using TorchSharp;
using static TorchSharp.torch;

namespace Layerwise.Tests.Models.FunctionalApi;

/// <summary>
/// A layer called with <c>training=False</c> (Keras' <c>layer(x, training=False)</c>, as in transfer
/// learning) stays in inference mode when the model is trained; the argument is written to configs
/// as Keras does (<c>"kwargs": {"training": false}</c>, Keras 2's fourth entry) and replayed when
/// they are read; <c>mask: null</c> is accepted; other keyword arguments are refused.
/// </summary>
public class CallKwargsTests
{
    public CallKwargsTests() => torch.set_num_threads(1);

    /// <summary>input -> Dropout(0.5) called with training=false -> BatchNormalization called with training=false.</summary>
    static Functional FrozenModel()
    {
        var input = Keras.Input([3], name: "kw_in");
        var dropped = new Dropout(0.5, name: "kw_drop").Call(input, training: false);
        var normalized = new BatchNormalization(name: "kw_bn").Call(dropped, training: false);
        return new Functional(input, normalized, name: "kw_model");
    }

    [Fact]
    public void Layers_called_with_training_false_stay_in_inference_mode_when_the_model_trains()
    {
        var model = FrozenModel();
        using var x = randn(16, 3, generator: new Generator(1)).mul(4).add(2);

        using var trainingMode = model.Call(x, training: true);

        // Moving mean 0 and variance 1 (their initial values), epsilon 1e-3, gamma 1, beta 0; no dropout.
        using var expected = x / Math.Sqrt(1 + 1e-3);
        Assert.True(trainingMode.allclose(expected, rtol: 1e-6, atol: 1e-6), "training=True must not reach layers called with training=False");
        var bn = (BatchNormalization)model.Layers.Single(l => l.Name == "kw_bn");
        using var movingMean = bn.Weights.Single(w => w.Name.EndsWith("moving_mean", StringComparison.Ordinal)).Value.abs().max();
        Assert.Equal(0f, movingMean.item<float>());
    }

    [Fact]
    public void Fit_does_not_update_a_batch_normalization_called_with_training_false()
    {
        var model = FrozenModel();
        model.Compile(optimizer: "sgd", loss: "mse");
        using var x = randn(16, 3, generator: new Generator(2)).mul(4).add(2);
        model.Fit(x, randn(16, 3, generator: new Generator(3)), batchSize: 8, epochs: 1, verbose: 0);

        var bn = model.Layers.Single(l => l.Name == "kw_bn");
        using var movingMean = bn.Weights.Single(w => w.Name.EndsWith("moving_mean", StringComparison.Ordinal)).Value.abs().max();
        Assert.Equal(0f, movingMean.item<float>());
    }

    [Fact]
    public void A_layer_left_unset_follows_the_model()
    {
        var input = Keras.Input([3]);
        var model = new Functional(input, new Dropout(0.5).Call(input));
        using var x = ones(64, 3);
        using var output = model.Call(x, training: true);
        Assert.True(output.eq(0).any().item<bool>(), "Dropout without a call argument drops units when the model trains");
    }

    [Theory]
    [InlineData(FunctionalConfigForm.Keras3)]
    [InlineData(FunctionalConfigForm.Keras2)]
    public void Training_argument_is_written_as_Keras_writes_it_and_replayed(FunctionalConfigForm form)
    {
        var config = FrozenModel().GetConfig(form);
        var drop = config["layers"]!.AsArray().Single(l => l!["name"]!.GetValue<string>() == "kw_drop")!;
        var kwargs = form == FunctionalConfigForm.Keras3 ? drop["inbound_nodes"]![0]!["kwargs"]! : drop["inbound_nodes"]![0]![0]![3]!;
        Assert.Equal("""{"training":false}""", kwargs.ToJsonString());

        var restored = Functional.FromConfig(config);
        using var x = randn(16, 3, generator: new Generator(4));
        using var output = restored.Call(x, training: true);
        using var expected = x / Math.Sqrt(1 + 1e-3);
        Assert.True(output.allclose(expected, rtol: 1e-6, atol: 1e-6));
    }

    /// <summary>A Keras 3 config with one Dropout node whose call kwargs are <paramref name="kwargs"/>.</summary>
    static string Keras3Config(string kwargs) => $$$"""
        {"class_name": "Functional", "config": {"name": "m", "layers": [
          {"class_name": "InputLayer", "config": {"batch_shape": [null, 4], "name": "x"}, "name": "x", "inbound_nodes": []},
          {"class_name": "Dropout", "config": {"name": "drop", "rate": 0.5}, "name": "drop",
           "inbound_nodes": [{"args": [{"class_name": "__keras_tensor__", "config": {"shape": [null, 4], "dtype": "float32", "keras_history": ["x", 0, 0]}}],
                              "kwargs": {{{kwargs}}}}]}],
          "input_layers": [["x", 0, 0]], "output_layers": [["drop", 0, 0]]}}
        """;

    [Fact]
    public void Keras3_kwargs_training_false_and_mask_null_are_read()
    {
        var model = (Functional)Model.FromJson(Keras3Config("""{"training": false, "mask": null}"""));
        using var x = ones(64, 4);
        using var output = model.Call(x, training: true);
        Assert.True(output.equal(x).all().item<bool>());
    }

    [Fact]
    public void Other_keyword_arguments_are_refused_naming_them()
    {
        var e = Assert.ThrowsAny<LayerwiseException>(() => Model.FromJson(Keras3Config("""{"noise_shape": [1, 4]}""")));
        Assert.Contains("kwargs.noise_shape", e.Message);
        Assert.Contains("supported: training", e.Message);
    }
}
