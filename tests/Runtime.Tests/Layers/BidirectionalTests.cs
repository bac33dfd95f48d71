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
/// Bidirectional: outputs against LSTM gate math written in the test (forward over the sequence,
/// backward over the reversed one), every merge mode, Keras' config and weight layout
/// (forward_layer/backward_layer), Keras 2 configs, unknown time steps, every file format, training.
/// </summary>
[Collection(GlobalRandomState.Name)]
public class BidirectionalTests
{
    public BidirectionalTests() => torch.set_num_threads(1);

    static Bidirectional Built(bool returnSequences, string mergeMode = "concat", long steps = 4)
    {
        Backend.SetRandomSeed(21);
        var layer = new Bidirectional(new LSTM(3, returnSequences: returnSequences), mergeMode: mergeMode);
        layer.EnsureBuilt([steps, 2]);
        // Non-zero biases so that every gate's bias matters.
        using (no_grad())
            foreach (var w in layer.Weights.Where(w => w.Name == "bias")) w.Assign(randn(w.Shape) * 0.5);
        return layer;
    }

    [Theory]
    [InlineData("concat")]
    [InlineData("sum")]
    [InlineData("mul")]
    [InlineData("ave")]
    public void Last_outputs_merge_the_forward_and_the_reversed_sequence(string mergeMode)
    {
        var layer = Built(returnSequences: false, mergeMode);
        using var x = randn(2, 4, 2);
        using var y = layer.Invoke(x);
        var forwardCell = ((LSTM)layer.ForwardLayer).CellLayer;
        var backwardCell = ((LSTM)layer.BackwardLayer).CellLayer;
        for (int s = 0; s < 2; s++)
        {
            var f = HandLstm.Last(forwardCell, x[s]);
            var b = HandLstm.Last(backwardCell, x[s].flip(0));
            var expected = mergeMode switch
            {
                "concat" => cat([f, b], 0),
                "sum" => f + b,
                "mul" => f * b,
                _ => (f + b) / 2,
            };
            Assert.True(expected.allclose(y[s], atol: 1e-5), $"sample {s} ({mergeMode})");
        }
        Assert.Equal(mergeMode == "concat" ? new long[] { 6 } : [3], layer.ComputeOutputShape([4, 2]));
    }

    [Fact]
    public void Returned_sequences_put_the_backward_outputs_back_in_time_order()
    {
        var layer = Built(returnSequences: true);
        using var x = randn(1, 4, 2);
        using var y = layer.Invoke(x);
        Assert.Equal([1L, 4, 6], y.shape);
        var f = HandLstm.Run(((LSTM)layer.ForwardLayer).CellLayer, x[0]);
        // Step t of the backward direction has read steps T-1 .. t.
        var b = HandLstm.Run(((LSTM)layer.BackwardLayer).CellLayer, x[0].flip(0)).flip(0);
        Assert.True(cat([f, b], 1).allclose(y[0], atol: 1e-5));
    }

    [Fact]
    public void Directions_are_copies_named_forward_and_backward_with_Keras_weight_order()
    {
        var layer = new Bidirectional(new LSTM(3, name: "enc"));
        layer.EnsureBuilt([5, 2]);
        Assert.Equal("forward_enc", layer.ForwardLayer.Name);
        Assert.Equal("backward_enc", layer.BackwardLayer.Name);
        Assert.False(layer.ForwardLayer.GoBackwards);
        Assert.True(layer.BackwardLayer.GoBackwards);
        Assert.Equal(["forward_enc_cell/kernel", "forward_enc_cell/recurrent_kernel", "forward_enc_cell/bias",
                      "backward_enc_cell/kernel", "backward_enc_cell/recurrent_kernel", "backward_enc_cell/bias"],
                     layer.Weights.Select(w => w.Path));
        Assert.Equal(2 * (2 * 12 + 3 * 12 + 12), layer.CountParams());
    }

    [Fact]
    public void Config_holds_the_forward_and_backward_layer_configs_as_Keras_3_writes_them()
    {
        var layer = new Bidirectional(new GRU(2, returnSequences: true, name: "g"), mergeMode: "sum");
        var config = layer.GetConfig();
        Assert.Equal("sum", config["merge_mode"]!.GetValue<string>());
        Assert.Equal("GRU", config["layer"]!["class_name"]!.GetValue<string>());
        Assert.Equal("forward_g", config["layer"]!["config"]!["name"]!.GetValue<string>());
        Assert.True(config["backward_layer"]!["config"]!["go_backwards"]!.GetValue<bool>());
        var copy = Assert.IsType<Bidirectional>(LayerRegistry.Deserialize(LayerRegistry.Serialize(layer)));
        Assert.Equal("forward_g", copy.ForwardLayer.Name);     // not forward_forward_g
        Assert.Equal("backward_g", copy.BackwardLayer.Name);
        Assert.Equal("sum", copy.MergeMode);
        Assert.True(copy.ReturnSequences);
    }

    [Fact]
    public void Keras_2_config_without_backward_layer_loads()
    {
        var model = Model.FromJson("""
            {"class_name": "Sequential", "config": {"name": "s", "layers": [
              {"class_name": "Bidirectional", "config": {"name": "bidirectional", "trainable": true, "batch_input_shape": [null, 7, 3],
                "dtype": "float32", "merge_mode": "ave",
                "layer": {"class_name": "LSTM", "config": {"name": "lstm", "trainable": true, "dtype": "float32", "return_sequences": false,
                  "return_state": false, "go_backwards": false, "stateful": false, "unroll": false, "units": 4, "activation": "tanh",
                  "recurrent_activation": "sigmoid", "use_bias": true, "unit_forget_bias": true, "dropout": 0.0, "recurrent_dropout": 0.0}}}}]}}
            """);
        var layer = Assert.IsType<Bidirectional>(model.Layers[0]);
        Assert.Equal("ave", layer.MergeMode);
        Assert.Equal("forward_lstm", layer.ForwardLayer.Name);
        Assert.True(layer.BackwardLayer.GoBackwards);
        Assert.Equal(2 * (3 * 16 + 4 * 16 + 16), model.CountParams());
        using var y = model.Predict(randn(2, 7, 3));
        Assert.Equal([2L, 4], y.shape);
    }

    [Fact]
    public void Merge_mode_None_and_equal_directions_are_refused_with_what_was_expected()
    {
        var e = Assert.Throws<ConfigException>(() => LayerRegistry.Deserialize(JsonNode.Parse(
            """{"class_name": "Bidirectional", "config": {"name": "bd", "merge_mode": null, "layer": {"class_name": "LSTM", "config": {"units": 2}}}}""")));
        Assert.Contains("merge_mode=None", e.Message);
        Assert.Contains("concat, sum, mul, ave", e.Message);
        var same = Assert.Throws<ArgumentException>(() => new Bidirectional(new LSTM(2), backwardLayer: new LSTM(2)));
        Assert.Contains("different go_backwards", same.Message);
    }

    [Fact]
    public void Unknown_time_steps_pass_through_and_any_length_runs()
    {
        var layer = new Bidirectional(new SimpleRNN(2, returnSequences: true));
        Assert.Equal([-1L, 4], layer.ComputeOutputShape([-1, 3]));
        layer.EnsureBuilt([-1, 3]);
        foreach (var steps in new long[] { 1, 6 })
        {
            using var y = layer.Invoke(randn(2, steps, 3));
            Assert.Equal([2L, steps, 4], y.shape);
        }
        Assert.Throws<IncompatibleShapeException>(() => layer.Invoke(randn(2, 4, 5)));
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
        Assert.Equal(["Bidirectional", "Bidirectional", "Dense"], loaded.Layers.Select(l => l.ClassName));
        Assert.Equal("mul", ((Bidirectional)loaded.Layers[1]).MergeMode);
        Assert.Equal(model.SummaryText(), loaded.SummaryText());
        PredictionAssert.Same(model, loaded, x);
    }

    [Fact]
    public void Trained_model_round_trips_through_a_TF_checkpoint_under_forward_layer_and_backward_layer()
    {
        using var dir = new TempDirectory();
        var (model, _) = TrainedModel();
        var prefix = dir.Combine("cp");
        model.SaveWeights(prefix);
        using (var reader = BundleReader.Open(prefix))
        {
            Assert.Contains("layer_with_weights-0/forward_layer/cell/kernel/.ATTRIBUTES/VARIABLE_VALUE", reader.Entries.Keys);
            Assert.Contains("layer_with_weights-1/backward_layer/cell/recurrent_kernel/.ATTRIBUTES/VARIABLE_VALUE", reader.Entries.Keys);
        }
        var restored = NewModel(seed: 77);
        restored.LoadWeights(prefix);
        Assert.Equal(TutorialModel.WeightValues(model), TutorialModel.WeightValues(restored));
    }

    [Fact]
    public void Keras_3_weights_file_keeps_each_direction_under_its_attribute()
    {
        using var dir = new TempDirectory();
        var (model, _) = TrainedModel();
        var path = dir.Combine("model.weights.h5");
        model.SaveWeights(path);
        using (var file = Hdf5Input.Open(path, path))
        {
            var bidirectional = file.Group(file.Group(file.Root, "layers"), "bidirectional");
            foreach (var direction in new[] { "forward_layer", "backward_layer" })
                Assert.True(file.HasLink(file.Group(file.Group(file.Group(bidirectional, direction), "cell"), "vars"), "2"), direction);
        }
        var restored = NewModel(seed: 78);
        restored.LoadWeights(path);
        Assert.Equal(TutorialModel.WeightValues(model), TutorialModel.WeightValues(restored));
    }

    [Fact]
    public void Keras_2_h5_names_the_weights_under_each_direction_as_tf_keras_does()
    {
        using var dir = new TempDirectory();
        var (model, _) = TrainedModel();
        var path = dir.Combine("weights.h5");
        model.SaveWeights(path);
        var layer = (Bidirectional)model.Layers[0];
        string[] expected = [.. new[] { layer.ForwardLayer, layer.BackwardLayer }.SelectMany(direction =>
            new[] { "kernel", "recurrent_kernel", "bias" }.Select(w => $"{layer.Name}/{direction.Name}/{direction.Name}_cell/{w}:0"))];
        Assert.StartsWith("bidirectional", expected[0]);
        Assert.Contains("/forward_lstm", expected[0]);
        using (var file = Hdf5Input.Open(path, path))
            // tf.keras 2: bidirectional/forward_lstm/lstm_cell_1/kernel:0 (its cells are numbered process-wide; ours are named after their layer).
            Assert.Equal(expected, file.ReadStringList(file.Group(file.Root, layer.Name), "weight_names"));
        var restored = NewModel(seed: 79);
        restored.LoadWeights(path);
        Assert.Equal(TutorialModel.WeightValues(model), TutorialModel.WeightValues(restored));
    }

    [Fact]
    public void A_training_step_changes_every_weight_of_both_directions()
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
            new Bidirectional(new LSTM(4, returnSequences: true), inputShape: [5, 3]),
            new Bidirectional(new GRU(3), mergeMode: "mul"),
            new Dense(1));
        model.Compile(optimizer: "adam", loss: "mse");
        return model;
    }

    static (Tensor X, Tensor Y) Data()
    {
        var generator = new Generator(17);
        return (randn([16, 5, 3], generator: generator), randn([16, 1], generator: generator));
    }

    static (Sequential Model, Tensor X) TrainedModel()
    {
        var model = NewModel(seed: 9);
        var (x, y) = Data();
        model.Fit(x, y, batchSize: 8, epochs: 2, verbose: 0);
        return (model, x);
    }
}
