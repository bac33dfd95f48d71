using System.Text.Json.Nodes;
using Layerwise.Formats.Checkpoint;
using Layerwise.Layers;
using Layerwise.Models;
using Layerwise.Serialization;
using TorchSharp;
using static TorchSharp.torch;

namespace Layerwise.Tests.Layers;

/// <summary>
/// LayerNormalization: values by hand, several and unsorted axes, Keras' weight order and parameter
/// counts, Keras' number-or-list axis in configs, every file format and training.
/// </summary>
[Collection(GlobalRandomState.Name)]
public class LayerNormalizationTests
{
    public LayerNormalizationTests() => torch.set_num_threads(1);

    [Fact]
    public void Normalizes_each_sample_with_its_own_statistics()
    {
        var layer = new LayerNormalization();
        layer.EnsureBuilt([4]);
        layer.Gamma!.Assign(tensor(new[] { 1f, 2f, 1f, 1f }));
        layer.Beta!.Assign(tensor(new[] { 0f, 0f, 0.5f, 0f }));
        // Sample 0: [1, 2, 3, 6], mean 3, biased variance 3.5: (x - 3) / sqrt(3.501), then gamma and beta.
        // Sample 1 is sample 0 plus 10: the same normalized values.
        using var y = layer.Invoke(tensor(new[] { 1f, 2f, 3f, 6f, 11f, 12f, 13f, 16f }, [2, 4]));
        float[] one = [-1.0688923f, -1.0688923f, 0.5f, 1.6033384f];
        WeightAssert.Close([.. one, .. one], y.data<float>().ToArray());
    }

    [Fact]
    public void Several_axes_are_normalized_together_and_weights_follow_the_axis_order()
    {
        Backend.SetRandomSeed(3);
        using var x = randn(2, 3, 4);
        // axis [2, 1]: gamma and beta have shape [4, 3] (Keras' order), applied to x[:, i, j] as gamma[j, i].
        var layer = new LayerNormalization(axis: [2, 1]);
        layer.EnsureBuilt([3, 4]);
        Assert.Equal([("gamma", new long[] { 4, 3 }), ("beta", [4, 3])], layer.Weights.Select(w => (w.Name, w.Shape)));
        using var gamma = arange(12, dtype: ScalarType.Float32).reshape(4, 3);
        layer.Gamma!.Assign(gamma);
        using var y = layer.Invoke(x);
        using var flat = x.reshape(2, 12);
        using var normalized = flat.sub(flat.mean([1L], keepdim: true)).div(flat.var([1L], unbiased: false, keepdim: true).add(1e-3).sqrt()).reshape(2, 3, 4);
        using var expected = normalized.mul(gamma.t());
        Assert.True(expected.allclose(y, atol: 1e-5), "multi-axis normalization differs");
    }

    [Fact]
    public void Summary_counts_gamma_and_beta_of_the_last_axis()
    {
        var model = new Sequential(new Dense(4, inputShape: [5, 3]), new LayerNormalization(), new LayerNormalization(center: false));
        var text = model.SummaryText();
        Assert.Contains("Total params: 28", text);      // Dense 3·4 + 4, LayerNormalization 4 + 4, the second gamma only: 4
        Assert.Equal(["gamma"], model.Layers[2].Weights.Select(w => w.Name));
    }

    [Fact]
    public void Keras_axis_as_a_number_or_a_list_loads()
    {
        var model = Model.FromJson(
            """{"class_name": "Sequential", "config": {"name": "s", "layers": [{"class_name": "LayerNormalization", "config": {"name": "ln", "axis": -1, "epsilon": 0.001, "center": true, "scale": true, "batch_input_shape": [null, 3, 2]}}, {"class_name": "LayerNormalization", "config": {"name": "ln2", "axis": [1, 2], "epsilon": 1e-6}}]}}""");
        Assert.Equal([-1], ((LayerNormalization)model.Layers[0]).Axis);
        Assert.Equal([1, 2], ((LayerNormalization)model.Layers[1]).Axis);
        Assert.Equal(1e-6, ((LayerNormalization)model.Layers[1]).Epsilon);
        var config = new LayerNormalization(name: "n").GetConfig();
        Assert.Equal("[-1]", config["axis"]!.ToJsonString());
        Assert.Equal(0.001, config["epsilon"]!.GetValue<double>());
    }

    [Fact]
    public void Keras_3_rms_scaling_is_refused()
    {
        var e = Assert.ThrowsAny<LayerwiseException>(() => Model.FromJson(
            """{"class_name": "Sequential", "config": {"name": "s", "layers": [{"class_name": "LayerNormalization", "config": {"name": "rms", "rms_scaling": true, "batch_input_shape": [null, 3]}}]}}"""));
        Assert.Contains("rms_scaling=true", e.Message);
    }

    [Theory]
    [InlineData("\"axis\": [0]", "other than the batch axis")]
    [InlineData("\"epsilon\": 0", "positive epsilon")]
    public void Bad_config_values_name_the_layer(string keys, string message)
    {
        var e = Assert.Throws<ConfigException>(() => LayerRegistry.Deserialize(JsonNode.Parse(
            """{"class_name": "LayerNormalization", "config": {"name": "bad_ln", """ + keys + "}}")));
        Assert.Contains("LayerNormalization \"bad_ln\" cannot be created", e.Message);
        Assert.Contains(message, e.Message);
    }

    public static TheoryData<string> Paths => new() { "model.h5", "model.keras", "model_dir", "cp" };

    [Theory]
    [MemberData(nameof(Paths))]
    public void Model_round_trips_through_every_format(string fileName)
    {
        using var dir = new TempDirectory();
        var model = NewModel(9);
        var x = randn(8, 5, generator: new Generator(2));
        model.Fit(x, randn(8, 1, generator: new Generator(3)), batchSize: 4, epochs: 1, verbose: 0);
        var path = dir.Combine(fileName);
        Model loaded;
        if (fileName == "cp")
        {
            model.SaveWeights(path);
            using (var reader = BundleReader.Open(path))
                Assert.Contains("layer_with_weights-1/gamma/.ATTRIBUTES/VARIABLE_VALUE", reader.Entries.Keys);
            loaded = NewModel(10);
            loaded.LoadWeights(path);
        }
        else
        {
            model.Save(path);
            loaded = Model.Load(path);
            Assert.Equal(model.Layers.Select(l => l.GetConfig().ToJsonString()), loaded.Layers.Select(l => l.GetConfig().ToJsonString()));
        }
        Assert.Equal(TutorialModel.WeightValues(model), TutorialModel.WeightValues(loaded));
        PredictionAssert.Same(model, loaded, x);
    }

    [Fact]
    public void A_training_step_changes_every_weight()
    {
        var model = NewModel(5);
        var before = TutorialModel.WeightValues(model);
        model.Fit(randn(8, 5, generator: new Generator(2)), randn(8, 1, generator: new Generator(4)), batchSize: 8, epochs: 1, verbose: 0);
        WeightAssert.EveryWeightChanged(model, before);
    }

    static Sequential NewModel(int seed)
    {
        Backend.SetRandomSeed(seed);
        var model = new Sequential(new Dense(6, inputShape: [5]), new LayerNormalization(), new Dense(1));
        model.Compile(optimizer: "sgd", loss: "mse");
        return model;
    }

}
