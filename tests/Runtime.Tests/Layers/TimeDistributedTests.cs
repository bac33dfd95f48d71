using System.Text.Json.Nodes;
using Layerwise.Formats.Checkpoint;
using Layerwise.Formats.Hdf5;
using Layerwise.Layers;
using Layerwise.Models;
using Layerwise.Serialization;
using TorchSharp;
using static TorchSharp.torch;

namespace Layerwise.Tests.Layers;

/// <summary>
/// TimeDistributed: the inner layer applied at every step (against a per-step matmul in the test),
/// the inner layer's config under <c>layer</c> and its weights under the field <c>layer</c>, unknown
/// time steps, every file format, training.
/// </summary>
[Collection(GlobalRandomState.Name)]
public class TimeDistributedTests
{
    public TimeDistributedTests() => torch.set_num_threads(1);

    [Fact]
    public void Dense_is_applied_to_every_step_with_the_same_weights()
    {
        Backend.SetRandomSeed(4);
        var dense = new Dense(4, activation: "relu");
        var layer = new TimeDistributed(dense);
        using var x = randn(2, 5, 3);
        using var y = layer.Invoke(x);
        Assert.Equal([2L, 5, 4], y.shape);
        using var k = dense.Kernel.ToCpu();
        using var b = dense.Bias!.ToCpu();
        for (int s = 0; s < 2; s++)
            for (int t = 0; t < 5; t++)
            {
                using var expected = (x[s, t].reshape(1, 3).matmul(k) + b).relu().reshape(4);
                Assert.True(expected.allclose(y[s, t], atol: 1e-6), $"sample {s}, step {t}");
            }
        Assert.Equal(["kernel", "bias"], layer.Weights.Select(w => w.Name));
    }

    [Fact]
    public void Inner_layers_of_higher_rank_see_each_step_whole()
    {
        var layer = new TimeDistributed(new Conv1D(2, [3]));
        Assert.Equal([6L, 4, 2], layer.ComputeOutputShape([6, 6, 5]));
        using var y = layer.Invoke(randn(3, 6, 6, 5));
        Assert.Equal([3L, 6, 4, 2], y.shape);
    }

    [Fact]
    public void Unknown_time_steps_pass_through_and_any_length_runs()
    {
        var layer = new TimeDistributed(new Dense(2));
        Assert.Equal([-1L, 2], layer.ComputeOutputShape([-1, 3]));
        layer.EnsureBuilt([-1, 3]);
        foreach (var steps in new long[] { 1, 7 })
        {
            using var y = layer.Invoke(randn(2, steps, 3));
            Assert.Equal([2L, steps, 2], y.shape);
        }
        Assert.Throws<IncompatibleShapeException>(() => layer.Invoke(randn(2, 4, 5)));
        Assert.Throws<IncompatibleShapeException>(() => new TimeDistributed(new Dense(2)).EnsureBuilt([3]));
    }

    [Fact]
    public void Config_holds_the_inner_layer_config_under_layer()
    {
        var layer = new TimeDistributed(new Dense(5, name: "inner"), name: "td");
        var config = layer.GetConfig();
        Assert.Equal("Dense", config["layer"]!["class_name"]!.GetValue<string>());
        Assert.Equal(5, config["layer"]!["config"]!["units"]!.GetValue<int>());
        // A Keras 2 config: {class_name, config} without module.
        var copy = Assert.IsType<TimeDistributed>(LayerRegistry.Deserialize(JsonNode.Parse(
            """{"class_name": "TimeDistributed", "config": {"name": "td2", "layer": {"class_name": "Dense", "config": {"name": "d", "units": 3}}}}""")));
        Assert.Equal(3, Assert.IsType<Dense>(copy.Layer).Units);
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
        Assert.Equal(["TimeDistributed", "LSTM", "TimeDistributed"], loaded.Layers.Select(l => l.ClassName));
        Assert.Equal(model.SummaryText(), loaded.SummaryText());
        PredictionAssert.Same(model, loaded, x);
    }

    [Fact]
    public void Trained_model_round_trips_through_a_TF_checkpoint_and_Keras_3_weights_under_layer()
    {
        using var dir = new TempDirectory();
        var (model, _) = TrainedModel();
        var prefix = dir.Combine("cp");
        model.SaveWeights(prefix);
        using (var reader = BundleReader.Open(prefix))
            Assert.Contains("layer_with_weights-0/layer/kernel/.ATTRIBUTES/VARIABLE_VALUE", reader.Entries.Keys);
        var restored = NewModel(seed: 77);
        restored.LoadWeights(prefix);
        Assert.Equal(TutorialModel.WeightValues(model), TutorialModel.WeightValues(restored));

        var path = dir.Combine("model.weights.h5");
        model.SaveWeights(path);
        using (var file = Hdf5Input.Open(path, path))
        {
            var inner = file.Group(file.Group(file.Group(file.Root, "layers"), "time_distributed"), "layer");
            Assert.True(file.HasLink(file.Group(inner, "vars"), "1"));
        }
        var fromH5 = NewModel(seed: 78);
        fromH5.LoadWeights(path);
        Assert.Equal(TutorialModel.WeightValues(model), TutorialModel.WeightValues(fromH5));
    }

    [Fact]
    public void Keras_2_h5_names_the_inner_weights_in_the_wrapper_scope_as_tf_keras_does()
    {
        using var dir = new TempDirectory();
        var (model, _) = TrainedModel();
        var path = dir.Combine("weights.h5");
        model.SaveWeights(path);
        var name = model.Layers[0].Name;
        using (var file = Hdf5Input.Open(path, path))
            // tf.keras 2 builds the inner layer in the wrapper's name scope: time_distributed/kernel:0.
            Assert.Equal([$"{name}/kernel:0", $"{name}/bias:0"], file.ReadStringList(file.Group(file.Root, name), "weight_names"));
        var restored = NewModel(seed: 79);
        restored.LoadWeights(path);
        Assert.Equal(TutorialModel.WeightValues(model), TutorialModel.WeightValues(restored));
    }

    [Fact]
    public void A_training_step_changes_every_weight()
    {
        var model = NewModel(seed: 5);
        var before = TutorialModel.WeightValues(model);
        var (x, y) = Data();
        model.Fit(x, y, batchSize: 8, epochs: 1, verbose: 0);
        WeightAssert.EveryWeightChanged(model, before);
    }

    static Sequential NewModel(int seed)
    {
        Backend.SetRandomSeed(seed);
        var model = new Sequential(
            new TimeDistributed(new Dense(4, activation: "tanh"), inputShape: [5, 3]),
            new LSTM(3, returnSequences: true),
            new TimeDistributed(new Dense(1)));
        model.Compile(optimizer: "adam", loss: "mse");
        return model;
    }

    static (Tensor X, Tensor Y) Data()
    {
        var generator = new Generator(17);
        return (randn([16, 5, 3], generator: generator), randn([16, 5, 1], generator: generator));
    }

    static (Sequential Model, Tensor X) TrainedModel()
    {
        var model = NewModel(seed: 9);
        var (x, y) = Data();
        model.Fit(x, y, batchSize: 8, epochs: 2, verbose: 0);
        return (model, x);
    }
}
