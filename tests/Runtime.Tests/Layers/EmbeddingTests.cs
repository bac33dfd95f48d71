using System.Text.Json.Nodes;
using Layerwise.Formats;
using Layerwise.Formats.Checkpoint;
using Layerwise.Formats.Hdf5;
using Layerwise.Layers;
using Layerwise.Models;
using Layerwise.Serialization;
using TorchSharp;
using static TorchSharp.torch;

namespace Layerwise.Tests.Layers;

/// <summary>
/// Embedding: row lookup by hand, float indices (what Fit passes) cast to integers, shapes and
/// parameter counts, Keras 1/2/3 configs, every file format, training, and refused values.
/// </summary>
[Collection(GlobalRandomState.Name)]
public class EmbeddingTests
{
    public EmbeddingTests() => torch.set_num_threads(1);

    static Embedding Built()
    {
        var layer = new Embedding(4, 2);
        layer.EnsureBuilt([2]);
        layer.Embeddings.Assign(tensor(new[] { 0f, 0.5f, 1f, 1.5f, 2f, 2.5f, 3f, 3.5f }, [4, 2]));
        return layer;
    }

    [Fact]
    public void Looks_up_rows_for_integer_and_float_indices()
    {
        var layer = Built();
        // Row i is [i, i + 0.5]: indices [[0, 3], [2, 2]] give those rows in place.
        float[] expected = [0f, 0.5f, 3f, 3.5f, 2f, 2.5f, 2f, 2.5f];
        using var fromLongs = layer.Invoke(tensor(new long[] { 0, 3, 2, 2 }, [2, 2]));
        using var fromFloats = layer.Invoke(tensor(new[] { 0f, 3f, 2f, 2f }, [2, 2]));
        Assert.Equal([2L, 2L, 2L], fromLongs.shape);
        Assert.Equal(expected, fromLongs.data<float>().ToArray());
        Assert.Equal(expected, fromFloats.data<float>().ToArray());
    }

    [Fact]
    public void Indices_out_of_range_are_refused_before_the_lookup()
    {
        var layer = Built();
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => layer.Invoke(tensor(new[] { 0f, 4f }, [1, 2])));
        Assert.Contains("indices must be in [0, 4); received values from 0 to 4", e.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => layer.Invoke(tensor(new[] { -1f, 0f }, [1, 2])));
    }

    [Fact]
    public void Shapes_parameters_and_default_initializer_follow_Keras()
    {
        Backend.SetRandomSeed(4);
        var model = new Sequential(new Embedding(1000, 64, inputLength: 10), new Flatten(), new Dense(1));
        var text = model.SummaryText();
        Assert.Contains("(None, 10, 64)", text);
        Assert.Contains("64000", text);                   // Keras: input_dim · output_dim
        Assert.Contains("Total params: 64,641", text);   // + 640 · 1 + 1
        var embedding = (Embedding)model.Layers[0];
        Assert.Equal([10L], embedding.DeclaredInputShape!);
        using var values = embedding.Embeddings.ToCpu();
        Assert.True(values.abs().max().item<float>() <= 0.05f, "uniform(-0.05, 0.05) by default");
        Assert.Equal([2L, 3L, 5L, 64L], embedding.ComputeOutputShape([2, 3, 5]));
    }

    [Fact]
    public void Config_has_Keras_keys()
    {
        var config = new Embedding(10, 3, inputLength: 4, name: "emb").GetConfig();
        Assert.Equal(10, config["input_dim"]!.GetValue<int>());
        Assert.Equal(3, config["output_dim"]!.GetValue<int>());
        Assert.Equal("RandomUniform", config["embeddings_initializer"]!["class_name"]!.GetValue<string>());
        Assert.Equal(-0.05, config["embeddings_initializer"]!["config"]!["minval"]!.GetValue<double>());
        Assert.False(config["mask_zero"]!.GetValue<bool>());
        Assert.Equal(4, config["input_length"]!.GetValue<int>());
    }

    [Fact]
    public void Keras_1_and_Keras_3_configs_load()
    {
        // Keras 1: init, and input_dim meaning the vocabulary (not the input shape).
        var keras1 = Model.FromJson(
            """{"class_name": "Sequential", "config": [{"class_name": "Embedding", "config": {"name": "e1", "input_dim": 20, "output_dim": 3, "init": "uniform", "input_length": 5, "mask_zero": false, "dropout": 0.0, "input_dtype": "int32", "batch_input_shape": [null, 5]}}]}""");
        var e1 = Assert.IsType<Embedding>(keras1.Layers[0]);
        Assert.Equal((20, 3, 5), (e1.InputDim, e1.OutputDim, e1.InputLength!.Value));
        Assert.IsType<Initializers.RandomUniform>(e1.EmbeddingsInitializer);
        // Keras 3: no input_length; the shape comes from the InputLayer.
        var keras3 = Model.FromJson(
            """{"module": "keras", "class_name": "Sequential", "config": {"name": "s", "layers": [{"module": "keras.layers", "class_name": "InputLayer", "config": {"batch_shape": [null, 6], "dtype": "int32", "name": "in"}, "registered_name": null}, {"module": "keras.layers", "class_name": "Embedding", "config": {"name": "e3", "input_dim": 50, "output_dim": 2, "embeddings_initializer": {"module": "keras.initializers", "class_name": "RandomUniform", "config": {"minval": -0.05, "maxval": 0.05, "seed": null}, "registered_name": null}, "mask_zero": false}, "registered_name": null}]}, "registered_name": null}""");
        var e3 = Assert.IsType<Embedding>(keras3.Layers[0]);
        Assert.Null(e3.DeclaredInputShape);
        Assert.Contains("(None, 6, 2)", keras3.SummaryText());
    }

    [Theory]
    [InlineData("\"input_dim\": 0, \"output_dim\": 2", "positive input_dim")]
    [InlineData("\"input_dim\": 5, \"output_dim\": 0", "positive output_dim")]
    public void Bad_config_values_name_the_layer(string keys, string message)
    {
        var e = Assert.Throws<ConfigException>(() => LayerRegistry.Deserialize(JsonNode.Parse(
            """{"class_name": "Embedding", "config": {"name": "bad_emb", """ + keys + "}}")));
        Assert.Contains("Embedding \"bad_emb\" cannot be created", e.Message);
        Assert.Contains(message, e.Message);
    }

    public static TheoryData<string> Paths => new() { "model.h5", "model.keras", "model_dir" };

    [Theory]
    [MemberData(nameof(Paths))]
    public void Trained_model_round_trips_through_whole_model_files(string fileName)
    {
        using var dir = new TempDirectory();
        var (model, x) = TrainedModel();
        var path = dir.Combine(fileName);
        model.Save(path);
        var loaded = Model.Load(path);
        Assert.Equal(model.SummaryText(), loaded.SummaryText());
        PredictionAssert.Same(model, loaded, x);
    }

    [Fact]
    public void Weights_go_under_Keras_names_in_h5_and_TF_checkpoints()
    {
        using var dir = new TempDirectory();
        var (model, _) = TrainedModel();
        var name = model.Layers[0].Name;
        var h5 = dir.Combine("model.h5");
        model.Save(h5);
        using (var file = Hdf5Input.Open(h5, h5))
            Assert.Equal([$"{name}/embeddings:0"], file.ReadStringList(file.Group(file.Group(file.Root, "model_weights"), name), "weight_names"));
        var prefix = dir.Combine("cp");
        model.SaveWeights(prefix);
        using (var reader = BundleReader.Open(prefix))
            Assert.Contains("layer_with_weights-0/embeddings/.ATTRIBUTES/VARIABLE_VALUE", reader.Entries.Keys);
        var restored = NewModel(seed: 70);
        restored.LoadWeights(prefix);
        Assert.Equal(TutorialModel.WeightValues(model), TutorialModel.WeightValues(restored));
    }

    [Fact]
    public void A_training_step_changes_only_the_rows_that_were_looked_up()
    {
        var model = NewModel(seed: 5);
        var embedding = (Embedding)model.Layers[0];
        using var before = embedding.Embeddings.ToCpu();
        var (x, y) = Data();
        model.Fit(x, y, batchSize: 16, epochs: 1, verbose: 0);
        using var after = embedding.Embeddings.ToCpu();
        // The data use indices 0..7 of 12 (SGD: an unused row gets no gradient and does not move).
        for (int row = 0; row < 12; row++)
        {
            bool changed = !before[row].equal(after[row]).all().item<bool>();
            Assert.True(changed == row < 8, $"row {row} changed={changed}");
        }
    }

    static Sequential NewModel(int seed)
    {
        Backend.SetRandomSeed(seed);
        var model = new Sequential(new Embedding(12, 3, inputLength: 4), new Flatten(), new Dense(1));
        model.Compile(optimizer: "sgd", loss: "mse");
        return model;
    }

    static (Tensor X, Tensor Y) Data()
    {
        var generator = new Generator(17);
        // Integer indices as Fit takes them: a float tensor.
        return (randint(0, 8, [16, 4], generator: generator).to_type(ScalarType.Float32), randn([16, 1], generator: generator));
    }

    static (Sequential Model, Tensor X) TrainedModel()
    {
        var model = NewModel(seed: 9);
        var (x, y) = Data();
        model.Fit(x, y, batchSize: 8, epochs: 2, verbose: 0);
        return (model, x);
    }
}
