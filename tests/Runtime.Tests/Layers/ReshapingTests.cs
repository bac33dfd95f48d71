using System.Text.Json.Nodes;
using Layerwise.Layers;
using Layerwise.Models;
using Layerwise.Serialization;
using TorchSharp;
using static TorchSharp.torch;

namespace Layerwise.Tests.Layers;

/// <summary>Reshape (one inferred -1) and Permute (1-based dims): values, shapes, configs, files, training.</summary>
[Collection(GlobalRandomState.Name)]
public class ReshapingTests
{
    public ReshapingTests() => torch.set_num_threads(1);

    [Fact]
    public void Reshape_infers_the_minus_one_and_keeps_the_order_of_values()
    {
        var layer = new Reshape([-1, 2]);
        using var y = layer.Invoke(arange(12, dtype: ScalarType.Float32).reshape(2, 6));
        Assert.Equal([2L, 3L, 2L], y.shape);
        Assert.Equal([3L, 2L], layer.ComputeOutputShape([6]));
        Assert.Equal([0f, 1f, 2f, 3f, 4f, 5f], y[0].flatten().data<float>().ToArray());
        Assert.Equal([4L, 1L, 3L], new Reshape([4, 1, 3]).ComputeOutputShape([3, 4]));
    }

    [Fact]
    public void Reshape_refuses_sizes_that_do_not_match()
    {
        Assert.Throws<IncompatibleShapeException>(() => new Reshape([4, -1]).Invoke(randn(1, 6)));
        Assert.Throws<IncompatibleShapeException>(() => new Reshape([5]).Invoke(randn(1, 6)));
    }

    [Fact]
    public void Permute_moves_axes_counted_from_one()
    {
        var layer = new Permute([2, 1]);
        using var x = arange(6, dtype: ScalarType.Float32).reshape(1, 2, 3);
        using var y = layer.Invoke(x);
        Assert.Equal([1L, 3L, 2L], y.shape);
        // x[0] = [[0, 1, 2], [3, 4, 5]]; its transpose row by row.
        Assert.Equal([0f, 3f, 1f, 4f, 2f, 5f], y.data<float>().ToArray());
        Assert.Equal([5L, 3L, 4L], new Permute([3, 1, 2]).ComputeOutputShape([3, 4, 5]));
    }

    [Fact]
    public void Configs_have_Keras_keys()
    {
        Assert.Equal("[-1,2]", new Reshape([-1, 2]).GetConfig()["target_shape"]!.ToJsonString());
        Assert.Equal("[2,1]", new Permute([2, 1]).GetConfig()["dims"]!.ToJsonString());
    }

    [Theory]
    [InlineData("Reshape", "\"target_shape\": [-1, -1]", "at most one -1")]
    [InlineData("Reshape", "\"target_shape\": [0, 2]", "at most one -1")]
    [InlineData("Permute", "\"dims\": [0, 1]", "permutation of 1..2")]
    [InlineData("Permute", "\"dims\": [1, 1]", "permutation of 1..2")]
    public void Bad_config_values_name_the_layer(string className, string keys, string message)
    {
        var e = Assert.Throws<ConfigException>(() => LayerRegistry.Deserialize(JsonNode.Parse(
            $$$"""{"class_name": "{{{className}}}", "config": {"name": "bad_shape", {{{keys}}}}}""")));
        Assert.Contains($"{className} \"bad_shape\" cannot be created", e.Message);
        Assert.Contains(message, e.Message);
    }

    public static TheoryData<string> Paths => new() { "model.h5", "model.keras", "model_dir", "cp" };

    [Theory]
    [MemberData(nameof(Paths))]
    public void Model_round_trips_through_every_format(string fileName)
    {
        using var dir = new TempDirectory();
        var model = NewModel(9);
        var x = randn(8, 6, generator: new Generator(2));
        model.Fit(x, randn(8, 1, generator: new Generator(3)), batchSize: 4, epochs: 1, verbose: 0);
        var path = dir.Combine(fileName);
        Model loaded;
        if (fileName == "cp")
        {
            model.SaveWeights(path);
            loaded = NewModel(10);
            loaded.LoadWeights(path);
        }
        else
        {
            model.Save(path);
            loaded = Model.Load(path);
            Assert.Equal(model.Layers.Select(l => l.GetConfig().ToJsonString()), loaded.Layers.Select(l => l.GetConfig().ToJsonString()));
        }
        PredictionAssert.Same(model, loaded, x);
    }

    [Fact]
    public void Training_through_reshape_and_permute_changes_every_weight()
    {
        var model = NewModel(5);
        var before = TutorialModel.WeightValues(model);
        model.Fit(randn(8, 6, generator: new Generator(2)), randn(8, 1, generator: new Generator(4)), batchSize: 8, epochs: 1, verbose: 0);
        WeightAssert.EveryWeightChanged(model, before);
    }

    static Sequential NewModel(int seed)
    {
        Backend.SetRandomSeed(seed);
        var model = new Sequential(new Dense(12, inputShape: [6]), new Reshape([-1, 3]), new Permute([2, 1]), new Conv1D(2, [2]), new Flatten(), new Dense(1));
        model.Compile(optimizer: "sgd", loss: "mse");
        return model;
    }
}
