using System.Text.Json.Nodes;
using Layerwise.Layers;
using Layerwise.Models;
using Layerwise.Serialization;
using TorchSharp;
using static TorchSharp.torch;

namespace Layerwise.Tests.Layers;

/// <summary>
/// GlobalAveragePooling1D/2D and GlobalMaxPooling1D/2D: values by hand in both data formats,
/// keepdims, Keras' config keys, every file format and training through them.
/// </summary>
[Collection(GlobalRandomState.Name)]
public class GlobalPoolingTests
{
    public GlobalPoolingTests() => torch.set_num_threads(1);

    static float[] Run(Layer layer, Tensor x, long[] expectedShape)
    {
        using var y = layer.Invoke(x);
        Assert.Equal(expectedShape, y.shape);
        Assert.Equal(expectedShape[1..], layer.ComputeOutputShape([.. x.shape.Skip(1)]));
        return y.data<float>().ToArray();
    }

    [Fact]
    public void One_dimensional_pooling_reduces_the_steps()
    {
        // (1, 2 steps, 3 features): [1, 2, 3], [3, -2, 5].
        var x = tensor(new[] { 1f, 2f, 3f, 3f, -2f, 5f }, [1, 2, 3]);
        Assert.Equal([2f, 0f, 4f], Run(new GlobalAveragePooling1D(), x, [1, 3]));
        Assert.Equal([3f, 2f, 5f], Run(new GlobalMaxPooling1D(), x, [1, 3]));
        Assert.Equal([3f, 2f, 5f], Run(new GlobalMaxPooling1D(keepdims: true), x, [1, 1, 3]));
        // channels_first: the same numbers are 2 channels of 3 steps.
        Assert.Equal([2f, 2f], Run(new GlobalAveragePooling1D(dataFormat: "channels_first"), x, [1, 2]));
        Assert.Equal([3f, 5f], Run(new GlobalMaxPooling1D(dataFormat: "channels_first", keepdims: true), x, [1, 2, 1]));
    }

    [Fact]
    public void Two_dimensional_pooling_reduces_height_and_width()
    {
        // (1, 2, 2, 2): channel 0 holds 1, 2, 3, 6; channel 1 holds -1, -2, -3, -6.
        var x = tensor(new[] { 1f, -1f, 2f, -2f, 3f, -3f, 6f, -6f }, [1, 2, 2, 2]);
        Assert.Equal([3f, -3f], Run(new GlobalAveragePooling2D(), x, [1, 2]));
        Assert.Equal([6f, -1f], Run(new GlobalMaxPooling2D(), x, [1, 2]));
        Assert.Equal([3f, -3f], Run(new GlobalAveragePooling2D(keepdims: true), x, [1, 1, 1, 2]));
        // channels_first: 2 channels of 2x2: [1, -1, 2, -2] and [3, -3, 6, -6].
        Assert.Equal([0f, 0f], Run(new GlobalAveragePooling2D(dataFormat: "channels_first"), x, [1, 2]));
        Assert.Equal([2f, 6f], Run(new GlobalMaxPooling2D(dataFormat: "channels_first", keepdims: true), x, [1, 2, 1, 1]));
    }

    [Fact]
    public void Config_has_Keras_keys_and_defaults()
    {
        var config = new GlobalAveragePooling2D(name: "gap").GetConfig();
        Assert.Equal(["name", "trainable", "dtype", "data_format", "keepdims"], config.Select(p => p.Key));
        Assert.Equal("channels_last", config["data_format"]!.GetValue<string>());
        Assert.False(config["keepdims"]!.GetValue<bool>());
    }

    [Fact]
    public void A_config_of_the_wrong_rank_input_is_refused_with_the_expected_rank()
    {
        var layer = new GlobalMaxPooling2D();
        var e = Assert.Throws<IncompatibleShapeException>(() => layer.Invoke(randn(2, 3, 4)));
        Assert.Contains("rank 4", e.Message);
    }

    [Fact]
    public void Bad_config_values_name_the_layer()
    {
        var e = Assert.Throws<ConfigException>(() => LayerRegistry.Deserialize(JsonNode.Parse(
            """{"class_name": "GlobalAveragePooling1D", "config": {"name": "bad_gap", "data_format": "channels_middle"}}""")));
        Assert.Contains("GlobalAveragePooling1D \"bad_gap\" cannot be created", e.Message);
        Assert.Contains("data_format must be", e.Message);
    }

    public static TheoryData<string> Paths => new() { "model.h5", "model.keras", "model_dir", "cp" };

    [Theory]
    [MemberData(nameof(Paths))]
    public void Models_with_global_pooling_round_trip_through_every_format(string fileName)
    {
        using var dir = new TempDirectory();
        foreach (var create in new Func<int, Sequential>[] { Temporal, Spatial })
        {
            var model = create(9);
            var x = Input(model);
            model.Fit(x, randn(8, 1, generator: new Generator(3)), batchSize: 4, epochs: 1, verbose: 0);
            var path = dir.Combine(model.Name + fileName);
            Model loaded;
            if (fileName == "cp")
            {
                model.SaveWeights(path);
                loaded = create(10);
                loaded.LoadWeights(path);
            }
            else
            {
                model.Save(path);
                loaded = Model.Load(path);
                Assert.Equal(model.Layers.Select(l => l.GetConfig().ToJsonString()), loaded.Layers.Select(l => l.GetConfig().ToJsonString()));
            }
            PredictionAssert.Same(model, loaded, x, model.Name);
        }
    }

    [Fact]
    public void Training_through_global_pooling_changes_the_weights_before_it()
    {
        foreach (var create in new Func<int, Sequential>[] { Temporal, Spatial })
        {
            var model = create(5);
            var before = TutorialModel.WeightValues(model);
            model.Fit(Input(model), randn(8, 1, generator: new Generator(4)), batchSize: 8, epochs: 1, verbose: 0);
            WeightAssert.EveryWeightChanged(model, before);
        }
    }

    static Tensor Input(Sequential model) => randn([8, .. model.InputShape!], generator: new Generator(2));

    /// <summary>Both poolings side by side would need a merge; one after the other in two models covers each.</summary>
    static Sequential Temporal(int seed)
    {
        Backend.SetRandomSeed(seed);
        var model = new Sequential(new Conv1D(3, [2], inputShape: [6, 2]), new GlobalMaxPooling1D(keepdims: true),
                                   new GlobalAveragePooling1D(), new Dense(1));
        model.Compile(optimizer: "sgd", loss: "mse");
        return model;
    }

    static Sequential Spatial(int seed)
    {
        Backend.SetRandomSeed(seed);
        var model = new Sequential(new Conv2D(2, [2, 2], inputShape: [4, 4, 1]), new GlobalAveragePooling2D(keepdims: true),
                                   new GlobalMaxPooling2D(), new Dense(1));
        model.Compile(optimizer: "sgd", loss: "mse");
        return model;
    }
}
