using System.Text.Json.Nodes;
using Layerwise.Formats.Checkpoint;
using Layerwise.Formats.Hdf5;
using Layerwise.Layers;
using Layerwise.Models;
using Layerwise.Training.Losses;
using Layerwise.Training.Optimizers;
using TorchSharp;
using static TorchSharp.torch;

namespace Layerwise.Tests.Formats;

/// <summary>
/// A functional model with two branches, Add, Dropout and Concatenate through every file format:
/// whole-model .h5 (Keras 2 config), .keras and directory (Keras 3 config) and TF checkpoints; the
/// loaded model predicts the same bits, has the same optimizer state, and continued training
/// (seeded) gives bit-identical weights. Layouts are Keras': InputLayer among the layers, weights
/// grouped per layer in config order, checkpoint children <c>layer-i</c> / <c>layer_with_weights-k</c>.
/// </summary>
[Collection(GlobalRandomState.Name)]
public class FunctionalModelFilesTests
{
    public FunctionalModelFilesTests() => TutorialModel.SingleThread();

    static Functional CreateModel(bool compile = true)
    {
        var inputs = Keras.Input([12], name: "features");
        var left = new Dense(8, activation: "relu").Call(inputs);
        var right = new Dense(8, activation: "tanh").Call(inputs);
        var merged = new Dropout(0.25).Call(new Add().Call(left, right));
        var joined = new Concatenate().Call(merged, inputs);
        var model = new Functional(inputs, new Dense(3).Call(joined));
        if (compile) model.Compile("adam", new SparseCategoricalCrossentropy(fromLogits: true), ["accuracy"]);
        return model;
    }

    static (Tensor X, Tensor Y) Data() =>
        (rand([48, 12], generator: new Generator(21)), randint(0, 3, [48], dtype: ScalarType.Int64, generator: new Generator(22)));

    public static TheoryData<string> Paths => new() { "functional.h5", "functional.keras", "functional_dir" };

    [Theory]
    [MemberData(nameof(Paths))]
    public void Whole_model_round_trips_with_optimizer_state_and_continues_training_identically(string fileName)
    {
        using var dir = new TempDirectory();
        Backend.SetRandomSeed(31);
        var (x, y) = Data();
        var model = CreateModel();
        model.Fit(x, y, batchSize: 16, epochs: 2, verbose: 0);
        var path = dir.Combine(fileName);
        model.Save(path);

        var loaded = Assert.IsType<Functional>(Model.Load(path));

        Assert.Equal(model.SummaryText(), loaded.SummaryText());
        Assert.Equal(model.Layers.Select(l => (l.Name, l.ClassName)), loaded.Layers.Select(l => (l.Name, l.ClassName)));
        PredictionAssert.Same(model, loaded, x);
        var adam = Assert.IsType<Adam>(loaded.Optimizer);
        Assert.Equal(model.Optimizer!.Iterations, adam.Iterations);
        foreach (var (original, restored) in model.TrainableWeights.Zip(loaded.TrainableWeights))
            foreach (var slot in model.Optimizer.SlotNames)
                Assert.True(model.Optimizer.GetSlot(original, slot).eq(adam.GetSlot(restored, slot)).all().item<bool>(), $"slot {slot} of {original.Path} differs");

        Backend.SetRandomSeed(77);
        model.Fit(x, y, batchSize: 16, epochs: 2, verbose: 0);
        Backend.SetRandomSeed(77);
        loaded.Fit(x, y, batchSize: 16, epochs: 2, verbose: 0);
        Assert.Equal(TutorialModel.WeightValues(model), TutorialModel.WeightValues(loaded));
    }

    [Fact]
    public void H5_holds_a_Keras_2_config_and_weights_grouped_per_layer_in_config_order()
    {
        using var dir = new TempDirectory();
        var model = CreateModel();
        var path = dir.Combine("m.h5");
        model.Save(path);

        using var input = Hdf5Input.Open(path, path);
        var config = JsonNode.Parse(input.ReadString(input.Root, "model_config"))!;
        Assert.Equal("Functional", config["class_name"]!.GetValue<string>());
        var layerNames = config["config"]!["layers"]!.AsArray().Select(l => l!["name"]!.GetValue<string>()).ToList();
        Assert.Equal(model.Layers.Select(l => l.Name), layerNames);
        Assert.Equal("features", layerNames[0]);
        Assert.Equal("""[[["features",0,0,{}]]]""", config["config"]!["layers"]![1]!["inbound_nodes"]!.ToJsonString());
        var weights = input.Group(input.Root, "model_weights");
        Assert.Equal(layerNames, input.ReadStringList(weights, "layer_names"));
        Assert.Empty(input.ReadStringList(input.Group(weights, "features"), "weight_names"));
        var firstDense = layerNames[1];
        Assert.Equal([$"{firstDense}/kernel:0", $"{firstDense}/bias:0"], input.ReadStringList(input.Group(weights, firstDense), "weight_names"));
    }

    [Fact]
    public void Directory_holds_a_Keras_3_config_and_layers_by_class_name()
    {
        using var dir = new TempDirectory();
        var model = CreateModel();
        var path = dir.Combine("saved");
        model.Save(path);

        var config = JsonNode.Parse(File.ReadAllText(Path.Combine(path, "config.json")))!;
        Assert.Equal("keras.src.models.functional", config["module"]!.GetValue<string>());
        Assert.Equal("""["features",0,0]""", config["config"]!["input_layers"]!.ToJsonString());
        Assert.Equal("__keras_tensor__", config["config"]!["layers"]![1]!["inbound_nodes"]![0]!["args"]![0]!["class_name"]!.GetValue<string>());
        using var weights = Hdf5Input.Open(Path.Combine(path, "model.weights.h5"), "weights");
        foreach (var group in new[] { "layers/dense", "layers/dense_1", "layers/dense_2" })
            Assert.True(weights.HasLink(weights.Group(weights.Group(weights.Root, "layers"), group["layers/".Length..]), "vars"), group);
    }

    [Fact]
    public void Checkpoint_round_trips_into_a_fresh_model_with_input_layer_as_layer_0()
    {
        using var dir = new TempDirectory();
        Backend.SetRandomSeed(41);
        var (x, y) = Data();
        var model = CreateModel();
        model.Fit(x, y, batchSize: 16, epochs: 1, verbose: 0);
        var prefix = dir.Combine("cp", "ckpt");
        model.SaveWeights(prefix);

        using (var reader = BundleReader.Open(prefix))
        {
            var graph = TrackableObjectGraph.Parse(reader.ReadString(KerasCheckpointLayout.ObjectGraphKey));
            var root = graph.Nodes[0];
            int inputNode = root.Children.Single(c => c.LocalName == "layer-0").NodeId;
            Assert.Empty(graph.Nodes[inputNode].Children);                      // the InputLayer: no weights
            Assert.DoesNotContain(root.Children, c => c.LocalName == "layer_with_weights-0" && c.NodeId == inputNode);
            Assert.Equal(root.Children.Single(c => c.LocalName == "layer-1").NodeId, root.Children.Single(c => c.LocalName == "layer_with_weights-0").NodeId);
            Assert.Contains("layer_with_weights-2/kernel/.ATTRIBUTES/VARIABLE_VALUE", reader.Entries.Keys);
            Assert.Contains("layer_with_weights-2/kernel/.OPTIMIZER_SLOT/optimizer/m/.ATTRIBUTES/VARIABLE_VALUE", reader.Entries.Keys);
        }

        var restored = CreateModel();
        restored.LoadWeights(prefix);
        Assert.Equal(TutorialModel.WeightValues(model), TutorialModel.WeightValues(restored));
        Assert.Equal(model.Optimizer!.Iterations, restored.Optimizer!.Iterations);
        Backend.SetRandomSeed(5);
        model.Fit(x, y, batchSize: 16, epochs: 1, verbose: 0);
        Backend.SetRandomSeed(5);
        restored.Fit(x, y, batchSize: 16, epochs: 1, verbose: 0);
        Assert.Equal(TutorialModel.WeightValues(model), TutorialModel.WeightValues(restored));
    }

    [Theory]
    [InlineData("w.h5")]
    [InlineData("w.weights.h5")]
    public void HDF5_weights_round_trip_into_a_fresh_model(string fileName)
    {
        using var dir = new TempDirectory();
        var model = CreateModel(compile: false);
        model.SaveWeights(dir.Combine(fileName));
        var restored = CreateModel(compile: false);
        restored.LoadWeights(dir.Combine(fileName));
        Assert.Equal(TutorialModel.WeightValues(model), TutorialModel.WeightValues(restored));
    }
}
