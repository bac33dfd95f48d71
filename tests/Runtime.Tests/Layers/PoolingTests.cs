using System.Text.Json.Nodes;
using Layerwise.Formats.Checkpoint;
using Layerwise.Layers;
using Layerwise.Models;
using Layerwise.Serialization;
using TorchSharp;
using static TorchSharp.torch;

namespace Layerwise.Tests.Layers;

/// <summary>
/// MaxPooling1D, AveragePooling1D, AveragePooling2D: values by hand for "valid" and TensorFlow's
/// "same" (odd padding after, padded cells not counted in an average), both data formats, output
/// shapes, Keras 1 configs, every file format and training through them.
/// </summary>
[Collection(GlobalRandomState.Name)]
public class PoolingTests
{
    public PoolingTests() => torch.set_num_threads(1);

    /// <summary>(1, 5 steps, 1 feature): 1, 3, 2, 5, 4.</summary>
    static Tensor Steps() => tensor(new[] { 1f, 3f, 2f, 5f, 4f }, [1, 5, 1]);

    static float[] Run(Layer layer, Tensor x)
    {
        using var y = layer.Invoke(x);
        Assert.Equal([x.shape[0], .. layer.ComputeOutputShape([.. x.shape.Skip(1)])], y.shape);
        return y.data<float>().ToArray();
    }

    [Fact]
    public void MaxPooling1D_valid_and_same()
    {
        Assert.Equal([3f, 5f], Run(new MaxPooling1D(), Steps()));
        // same: 3 windows, the last one holds only the 4 (the odd step of padding goes after).
        Assert.Equal([3f, 5f, 4f], Run(new MaxPooling1D(padding: "same"), Steps()));
        Assert.Equal([3f, 3f, 5f, 5f], Run(new MaxPooling1D(strides: [1]), Steps()));
    }

    [Fact]
    public void AveragePooling1D_counts_only_the_steps_inside_the_input()
    {
        Assert.Equal([2f, 3.5f], Run(new AveragePooling1D(), Steps()));
        // pool 3, stride 1, same: one step of padding on each side; the border windows average two steps.
        WeightAssert.Close([2f, 2f, 10f / 3, 11f / 3, 4.5f], Run(new AveragePooling1D([3], strides: [1], padding: "same"), Steps()));
    }

    [Fact]
    public void Pooling1D_channels_first_pools_the_last_axis()
    {
        // (1, 2 features, 4 steps)
        var x = tensor(new[] { 1f, 2f, 3f, 4f, 8f, 6f, 4f, 2f }, [1, 2, 4]);
        Assert.Equal([2f, 4f, 8f, 4f], Run(new MaxPooling1D(dataFormat: "channels_first"), x));
        Assert.Equal([1.5f, 3.5f, 7f, 3f], Run(new AveragePooling1D(dataFormat: "channels_first"), x));
    }

    [Fact]
    public void AveragePooling2D_valid_and_same()
    {
        // 3x3 image 1..9, pool 2, stride 2.
        var x = arange(1, 10, dtype: ScalarType.Float32).reshape(1, 3, 3, 1);
        Assert.Equal([3f], Run(new AveragePooling2D(), x));
        // same: windows {1,2,4,5}, {3,6}, {7,8}, {9}: padded cells are not counted.
        Assert.Equal([3f, 4.5f, 7.5f, 9f], Run(new AveragePooling2D(padding: "same"), x));
        using var first = x.permute(0, 3, 1, 2).contiguous();
        Assert.Equal([3f, 4.5f, 7.5f, 9f], Run(new AveragePooling2D(padding: "same", dataFormat: "channels_first"), first));
    }

    [Fact]
    public void MaxPooling2D_keeps_its_behaviour_on_the_shared_base()
    {
        var x = arange(1, 10, dtype: ScalarType.Float32).reshape(1, 3, 3, 1);
        Assert.Equal([5f, 6f, 8f, 9f], Run(new MaxPooling2D(padding: "same"), x));
    }

    [Fact]
    public void Output_shapes_follow_Keras_arithmetic()
    {
        Assert.Equal([3L, 4L], new MaxPooling1D([3], strides: [2]).ComputeOutputShape([8, 4]));
        Assert.Equal([4L, 4L], new AveragePooling1D([3], strides: [2], padding: "same").ComputeOutputShape([8, 4]));
        Assert.Equal([3L, 3L, 5L], new AveragePooling2D([2, 3], padding: "same").ComputeOutputShape([5, 7, 5]));
        Assert.Equal([5L, 2L, 2L], new AveragePooling2D([2, 3], dataFormat: "channels_first").ComputeOutputShape([5, 5, 7]));
    }

    [Fact]
    public void Keras_configs_write_one_element_lists_and_Keras_1_numbers_load()
    {
        var config = new MaxPooling1D([3], name: "p").GetConfig();
        Assert.Equal("[3]", config["pool_size"]!.ToJsonString());
        Assert.Equal("[3]", config["strides"]!.ToJsonString());
        Assert.Equal("channels_last", config["data_format"]!.GetValue<string>());
        var model = Model.FromJson(
            """{"class_name": "Sequential", "config": [{"class_name": "Convolution1D", "config": {"name": "c", "nb_filter": 2, "filter_length": 2, "input_dim": 3, "input_length": 8}}, {"class_name": "MaxPooling1D", "config": {"name": "mp", "pool_length": 3, "stride": null, "border_mode": "same"}}, {"class_name": "AvgPool1D", "config": {"name": "ap", "pool_size": [2], "strides": [1]}}]}""");
        var max = Assert.IsType<MaxPooling1D>(model.Layers[1]);
        Assert.Equal([3], max.PoolSize);
        Assert.Equal([3], max.Strides);
        Assert.Equal("same", max.Padding);
        Assert.IsType<AveragePooling1D>(model.Layers[2]);
        Assert.Contains("(None, 2, 2)", model.SummaryText());   // 8 - 1 = 7 steps, same pool 3 -> 3, pool 2 stride 1 -> 2
    }

    [Theory]
    [InlineData("MaxPooling1D", "\"pool_size\": [0]", "must be one positive integer; received [0]")]
    [InlineData("AveragePooling1D", "\"padding\": \"causal\"", "padding must be \"valid\" or \"same\"")]
    [InlineData("AveragePooling2D", "\"data_format\": \"channels_middle\"", "data_format must be")]
    public void Bad_config_values_name_the_layer(string className, string keys, string message)
    {
        var e = Assert.Throws<ConfigException>(() => LayerRegistry.Deserialize(JsonNode.Parse(
            $$$"""{"class_name": "{{{className}}}", "config": {"name": "bad_pool", {{{keys}}}}}""")));
        Assert.Contains($"{className} \"bad_pool\" cannot be created", e.Message);
        Assert.Contains(message, e.Message);
    }

    public static TheoryData<string> Paths => new() { "model.h5", "model.keras", "model_dir", "cp" };

    [Theory]
    [MemberData(nameof(Paths))]
    public void Models_with_pooling_round_trip_through_every_format(string fileName)
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
            }
            if (fileName != "cp")
                Assert.Equal(model.Layers.Select(l => l.GetConfig().ToJsonString()), loaded.Layers.Select(l => l.GetConfig().ToJsonString()));
            PredictionAssert.Same(model, loaded, x, model.Name);
        }
    }

    [Fact]
    public void Training_through_pooling_changes_the_weights_before_it()
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

    static Sequential Temporal(int seed)
    {
        Backend.SetRandomSeed(seed);
        var model = new Sequential(
            new Conv1D(3, [2], inputShape: [9, 2]), new MaxPooling1D(padding: "same"), new AveragePooling1D([3], strides: [1], padding: "same"),
            new Flatten(), new Dense(1));
        model.Compile(optimizer: "sgd", loss: "mse");
        return model;
    }

    static Sequential Spatial(int seed)
    {
        Backend.SetRandomSeed(seed);
        var model = new Sequential(new Conv2D(2, [2, 2], inputShape: [5, 5, 1]), new AveragePooling2D(padding: "same"), new Flatten(), new Dense(1));
        model.Compile(optimizer: "sgd", loss: "mse");
        return model;
    }

}
