using System.IO.Compression;
using System.Text;
using System.Text.Json.Nodes;
using Layerwise.Formats.Hdf5;
using Layerwise.Formats.KerasArchive;
using Layerwise.Layers;
using Layerwise.Models;
using Layerwise.Training.Losses;
using Layerwise.Training.Optimizers;
using PureHDF;
using static TorchSharp.torch;

namespace Layerwise.Tests.Formats;

/// <summary>
/// What the files hold, key by key, against what the Keras source writes: Keras 3's <c>saving_lib</c> and
/// <c>Sequential.get_config</c> (v3.6.0) for .keras and directories, tf.keras 2.x's <c>model_metadata</c> and
/// <c>InputLayer.get_config</c> for .h5; and files in the forms older Layerwise versions wrote still load.
/// </summary>
[Collection(GlobalRandomState.Name)]
public class KerasWrittenFormTests
{
    public KerasWrittenFormTests() => TutorialModel.SingleThread();

    static Sequential Trained()
    {
        Backend.SetRandomSeed(9);
        var model = new Sequential(new Dense(5, activation: "relu", inputShape: [4], name: "hidden"), new Dense(3, name: "out"));
        model.Compile(new Adam(), new SparseCategoricalCrossentropy(fromLogits: true));
        model.Fit(rand(8, 4), tensor(new long[] { 0, 1, 2, 0, 1, 2, 0, 1 }), batchSize: 4, epochs: 1, verbose: 0);
        return model;
    }

    static JsonObject ReadKerasConfig(string archive)
    {
        using var zip = ZipFile.OpenRead(archive);
        using var reader = new StreamReader(zip.GetEntry("config.json")!.Open(), Encoding.UTF8);
        return JsonNode.Parse(reader.ReadToEnd())!.AsObject();
    }

    [Fact]
    public void Keras_archive_config_is_what_Keras_3_Sequential_get_config_writes()
    {
        using var dir = new TempDirectory();
        var model = Trained();
        model.Save(dir.Combine("m.keras"));
        var config = ReadKerasConfig(dir.Combine("m.keras"));

        Assert.Equal("keras", (string?)config["module"]);
        Assert.Equal("[null,4]", config["build_config"]!["input_shape"]!.ToJsonString());
        var inner = config["config"]!;
        Assert.Equal("[null,4]", inner["build_input_shape"]!.ToJsonString());
        var layers = inner["layers"]!.AsArray();
        Assert.Equal(3, layers.Count);
        // keras/src/layers/core/input_layer.py get_config: batch_shape, dtype, sparse, name.
        Assert.Equal("InputLayer", (string?)layers[0]!["class_name"]);
        Assert.Equal("keras.layers", (string?)layers[0]!["module"]);
        Assert.Equal("""{"batch_shape":[null,4],"dtype":"float32","sparse":false,"name":"input_layer"}""", layers[0]!["config"]!.ToJsonString());
        // Layer.__init__ refuses batch_input_shape; the shape a layer was built with is its build_config.
        foreach (var key in new[] { "batch_input_shape", "batch_shape", "input_shape" })
            Assert.False(layers[1]!["config"]!.AsObject().ContainsKey(key), key);
        Assert.Equal("""{"input_shape":[null,4]}""", layers[1]!["build_config"]!.ToJsonString());
        Assert.Equal("""{"input_shape":[null,5]}""", layers[2]!["build_config"]!.ToJsonString());
    }

    [Theory]
    [InlineData("m.keras")]
    [InlineData("m_dir")]
    [InlineData("m.h5")]
    public void Loaded_layers_have_the_configs_they_were_created_with_and_a_named_InputLayer_stays(string fileName)
    {
        using var dir = new TempDirectory();
        var model = Trained();
        model.Save(dir.Combine(fileName));
        var loaded = (Sequential)Model.Load(dir.Combine(fileName));
        // The InputLayer Keras 3 (and Layerwise) writes for a first layer's inputShape goes back into that layer.
        Assert.Equal(new long[] { 4 }, loaded.Layers[0].DeclaredInputShape);
        Assert.Equal(model.Layers.Select(l => l.GetConfig().ToJsonString()), loaded.Layers.Select(l => l.GetConfig().ToJsonString()));

        var explicitInput = new Sequential(new InputLayer([4], name: "pixels"), new Dense(2, name: "d"));
        explicitInput.Save(dir.Combine("explicit_" + fileName));
        var reloaded = (Sequential)Model.Load(dir.Combine("explicit_" + fileName));
        Assert.Null(reloaded.Layers[0].DeclaredInputShape);
        Assert.Equal(new long[] { 4 }, reloaded.InputShape);
        var written = KerasConfigFormsProbe(reloaded);
        Assert.Equal("pixels", (string?)written["config"]!["layers"]![0]!["config"]!["name"]);
    }

    static JsonObject KerasConfigFormsProbe(Model model) => JsonNode.Parse(KerasSavedModel.ConfigJson(model))!.AsObject();

    [Fact]
    public void Keras_archive_members_are_stored_uncompressed_in_Keras_order()
    {
        using var dir = new TempDirectory();
        Trained().Save(dir.Combine("m.keras"));
        using var zip = ZipFile.OpenRead(dir.Combine("m.keras"));
        Assert.Equal(new[] { "metadata.json", "config.json", "model.weights.h5" }, zip.Entries.Select(e => e.FullName));
        // saving_lib: zipfile.ZipFile(f, "w") writes ZIP_STORED, where the compressed size is the size.
        foreach (var entry in zip.Entries) Assert.Equal(entry.Length, entry.CompressedLength);
    }

    [Fact]
    public void H5_model_config_is_what_tf_keras_2_writes()
    {
        using var dir = new TempDirectory();
        var model = Trained();
        model.Save(dir.Combine("m.h5"));
        using var input = Hdf5Input.Open(dir.Combine("m.h5"), "m.h5");
        var config = JsonNode.Parse(input.ReadString(input.Root, "model_config"))!.AsObject();

        Assert.Equal(new[] { "class_name", "config" }, config.Select(p => p.Key));
        var layers = config["config"]!["layers"]!.AsArray();
        // tf.keras 2 Sequential.add creates Input(batch_shape, name=layer.name + "_input"); InputLayer.get_config has these five keys.
        Assert.Equal("""{"class_name":"InputLayer","config":{"batch_input_shape":[null,4],"dtype":"float32","sparse":false,"ragged":false,"name":"hidden_input"}}""",
                     layers[0]!.ToJsonString());
        foreach (var layer in layers)
        {
            Assert.False(layer!.AsObject().ContainsKey("module"), "a module key makes Keras 3's legacy loader skip its batch_input_shape conversion");
            Assert.False(layer.AsObject().ContainsKey("build_config"));
        }
        Assert.Equal("[null,4]", layers[1]!["config"]!["batch_input_shape"]!.ToJsonString());
    }

    [Fact]
    public void Weights_h5_holds_the_optimizer_variables_and_LoadWeights_restores_them()
    {
        using var dir = new TempDirectory();
        var model = Trained();
        var path = dir.Combine("w.weights.h5");
        model.SaveWeights(path);

        using (var input = Hdf5Input.Open(path, path))
        {
            var vars = input.Group(input.Group(input.Root, "optimizer"), "vars");
            // Adam in Keras 3: iterations, learning_rate, then momentum and velocity of each trainable variable.
            Assert.Equal(2 + 2 * model.TrainableWeights.Count, vars.Children().Count());
            Assert.Equal(model.Optimizer!.Iterations, input.ReadInteger(vars, "0"));
        }

        Backend.SetRandomSeed(1);
        var fresh = new Sequential(new Dense(5, activation: "relu", inputShape: [4], name: "hidden"), new Dense(3, name: "out"));
        fresh.Compile(new Adam(), new SparseCategoricalCrossentropy(fromLogits: true));
        fresh.LoadWeights(path);
        Assert.Equal(model.Optimizer!.Iterations, fresh.Optimizer!.Iterations);
        foreach (var (original, restored) in model.TrainableWeights.Zip(fresh.TrainableWeights))
            foreach (var slot in model.Optimizer.SlotNames)
                Assert.True(model.Optimizer.GetSlot(original, slot).eq(fresh.Optimizer.GetSlot(restored, slot)).all().item<bool>(), $"{slot} of {original.Path}");
    }

    [Fact]
    public void H5_optimizer_slots_of_a_recurrent_cell_are_named_after_the_full_variable_name_and_load_back()
    {
        using var dir = new TempDirectory();
        Backend.SetRandomSeed(4);
        var model = new Sequential(new LSTM(3, inputShape: [5, 2], name: "seq"), new Dense(2, name: "head"));
        model.Compile(new Adam(), new SparseCategoricalCrossentropy(fromLogits: true));
        model.Fit(rand(4, 5, 2), tensor(new long[] { 0, 1, 1, 0 }), batchSize: 4, epochs: 1, verbose: 0);
        var path = dir.Combine("m.h5");
        model.Save(path);

        using (var input = Hdf5Input.Open(path, path))
        {
            var names = input.ReadStringList(input.Group(input.Root, "optimizer_weights"), "weight_names");
            // tf.keras optimizer_v2: "<optimizer>/<variable's shared name>/<slot>", the cell's variable being seq/seq_cell/kernel.
            Assert.Contains("Adam/seq/seq_cell/kernel/m:0", names);
            Assert.Contains("Adam/head/kernel/v:0", names);
        }
        var loaded = Model.Load(path);
        foreach (var (original, restored) in model.TrainableWeights.Zip(loaded.TrainableWeights))
            foreach (var slot in model.Optimizer!.SlotNames)
                Assert.True(model.Optimizer.GetSlot(original, slot).eq(loaded.Optimizer!.GetSlot(restored, slot)).all().item<bool>(), $"{slot} of {original.Path}");
    }

    // ---- files in the forms earlier Layerwise versions wrote ----------------------------------------

    /// <summary>The config earlier versions wrote into both .h5 and config.json: Keras 3 objects, the input shape in the first layer.</summary>
    const string EarlierSequentialConfig = """
        {"module": "keras", "class_name": "Sequential", "registered_name": null, "build_config": {"input_shape": [null, 4]},
         "config": {"name": "sequential", "trainable": true, "layers": [
           {"module": "keras.layers", "class_name": "Dense", "registered_name": null, "config": {"name": "hidden", "trainable": true, "dtype": "float32",
             "units": 5, "activation": "relu", "use_bias": true, "batch_input_shape": [null, 4]}},
           {"module": "keras.layers", "class_name": "Dense", "registered_name": null, "config": {"name": "out", "trainable": true, "dtype": "float32",
             "units": 3, "activation": null, "use_bias": true}}]}}
        """;

    [Fact]
    public void H5_in_the_earlier_Layerwise_form_still_loads()
    {
        using var dir = new TempDirectory();
        var model = Trained();
        var path = dir.Combine("earlier.h5");
        var file = new H5File();
        file.Attributes["keras_version"] = "2.15.0";
        file.Attributes["backend"] = "tensorflow";
        file.Attributes["model_config"] = EarlierSequentialConfig;
        var weights = new H5Group();
        KerasH5Weights.Write(model, weights);
        file["model_weights"] = weights;
        Hdf5Output.WriteNewFile(file, path);

        var loaded = Model.Load(path);
        Assert.Equal(new long[] { 4 }, ((Sequential)loaded).InputShape);
        PredictionAssert.Same(model, loaded, rand(6, 4));
    }

    [Fact]
    public void Keras_archive_in_the_earlier_Layerwise_form_still_loads()
    {
        using var dir = new TempDirectory();
        var model = Trained();
        var weights = dir.Combine("weights.h5");
        // Earlier versions wrote no optimizer variables into .weights.h5, and deflated the JSON members.
        var weightsFile = new H5File();
        KerasWeightsStore.Write(model, weightsFile, includeOptimizer: false);
        Hdf5Output.WriteNewFile(weightsFile, weights);
        var path = dir.Combine("earlier.keras");
        using (var zip = ZipFile.Open(path, ZipArchiveMode.Create))
        {
            foreach (var (name, text) in new[] { ("metadata.json", """{"keras_version": "3.6.0", "date_saved": "2025-01-01@00:00:00"}"""), ("config.json", EarlierSequentialConfig) })
            {
                using var writer = new StreamWriter(zip.CreateEntry(name, CompressionLevel.Optimal).Open());
                writer.Write(text);
            }
            zip.CreateEntryFromFile(weights, "model.weights.h5", CompressionLevel.NoCompression);
        }

        var loaded = Model.Load(path);
        Assert.Equal(new long[] { 4 }, ((Sequential)loaded).InputShape);
        PredictionAssert.Same(model, loaded, rand(6, 4));
    }

    [Fact]
    public void Earlier_InputLayer_config_with_trainable_and_batch_shape_still_loads()
    {
        var config = Model.FromJson("""
            {"class_name": "Sequential", "config": {"name": "s", "layers": [
              {"module": "keras.layers", "class_name": "InputLayer", "config": {"name": "input_1", "trainable": false, "dtype": "float32", "batch_shape": [null, 6]}},
              {"module": "keras.layers", "class_name": "Dense", "config": {"name": "d", "units": 2}}]}}
            """);
        Assert.Equal(new long[] { 6 }, ((Sequential)config).InputShape);
    }
}
