using Layerwise.Formats.Checkpoint;
using Layerwise.Formats.Hdf5;
using Layerwise.Layers;
using Layerwise.Models;
using Layerwise.Serialization;
using TorchSharp;
using static TorchSharp.torch;

namespace Layerwise.Tests.Layers;

/// <summary>
/// GRU: Keras' weight layout (gates z, r, h; bias [2, 3·units] with reset_after, [3·units] without),
/// values against a hand-computed sequence and against Keras' equations written out with torch ops,
/// parameter counts as Keras prints them, every file format, training and bad configs.
/// </summary>
[Collection(GlobalRandomState.Name)]
public class GruTests
{
    public GruTests() => torch.set_num_threads(1);

    [Theory]
    [InlineData(true, new long[] { 2, 9 })]
    [InlineData(false, new long[] { 9 })]
    public void Weights_have_Keras_fused_shapes_and_live_in_the_cell(bool resetAfter, long[] biasShape)
    {
        var gru = new GRU(3, resetAfter: resetAfter);
        gru.EnsureBuilt([6, 4]);
        Assert.Equal([("kernel", new long[] { 4, 9 }), ("recurrent_kernel", [3, 9]), ("bias", biasShape)],
                     gru.Weights.Select(w => (w.Name, w.Shape)));
        Assert.All(gru.Weights, w => Assert.Same(gru.CellLayer, w.Owner));
        Assert.Equal(gru.Name + "_cell", gru.CellLayer.Name);
    }

    [Theory]
    [InlineData(true, 81)]      // Keras: 3·(3·(4 + 3) + 2·3), the second bias row being reset_after's
    [InlineData(false, 72)]     // Keras: 3·(3·(4 + 3) + 3)
    public void Summary_counts_parameters_as_Keras_prints_them(bool resetAfter, int expected)
    {
        var model = new Sequential(new GRU(3, resetAfter: resetAfter, inputShape: [5, 4]));
        var text = model.SummaryText();
        Assert.Contains("(None, 3)", text);
        Assert.Contains($"Total params: {expected}", text);
    }

    [Theory]
    [InlineData(false, new long[] { 4 })]
    [InlineData(true, new long[] { 5, 4 })]
    public void Output_shapes_follow_return_sequences(bool returnSequences, long[] expected)
    {
        var gru = new GRU(4, returnSequences: returnSequences);
        using var y = gru.Invoke(randn(2, 5, 3));
        Assert.Equal([2L, .. expected], y.shape);
        Assert.Equal(expected, gru.ComputeOutputShape([5, 3]));
    }

    [Theory]
    [InlineData(true, 0.110803086, -0.297679417)]
    [InlineData(false, 0.069938700, -0.418337127)]
    public void GRU_matches_a_hand_computed_sequence(bool resetAfter, double h1, double h2)
    {
        var gru = new GRU(1, returnSequences: true, resetAfter: resetAfter);
        gru.EnsureBuilt([2, 1]);
        // Gates z, r, h.
        gru.CellLayer.Kernel.Assign(tensor(new[] { 0.5f, -0.4f, 0.3f }, [1, 3]));
        gru.CellLayer.RecurrentKernel.Assign(tensor(new[] { 0.2f, 0.6f, -0.5f }, [1, 3]));
        gru.CellLayer.Bias!.Assign(resetAfter
            ? tensor(new[] { 0.1f, 0f, -0.1f, 0.05f, 0.2f, 0.3f }, [2, 3])
            : tensor(new[] { 0.1f, 0f, -0.1f }));
        using var y = gru.Invoke(tensor(new[] { 1.0f, -2.0f }, [1, 2, 1]));
        // Step 1 with reset_after (h0 = 0): z = σ(0.5 + 0.1 + 0.05) = 0.6570, r = σ(-0.4 + 0.2) = 0.4502,
        // candidate = tanh(0.3 - 0.1 + r·0.3) = 0.3230, h1 = (1 - z)·candidate = 0.1108.
        // Without reset_after h0 = 0 removes every recurrent term: z = σ(0.6), h1 = (1 - z)·tanh(0.2) = 0.0699.
        WeightAssert.Close([(float)h1, (float)h2], y.data<float>().ToArray());
    }

    [Theory]
    [InlineData(true, "sigmoid", false)]
    [InlineData(false, "sigmoid", false)]
    [InlineData(true, "hard_sigmoid", true)]
    [InlineData(false, "sigmoid", true)]
    public void GRU_follows_Keras_equations_written_with_torch_ops(bool resetAfter, string recurrentActivation, bool goBackwards)
    {
        Backend.SetRandomSeed(31);
        const int units = 3;
        var gru = new GRU(units, recurrentActivation: recurrentActivation, resetAfter: resetAfter, returnSequences: true,
                          goBackwards: goBackwards, biasInitializer: new Initializers.RandomNormal(0, 0.5));
        using var x = randn(2, 4, 5, generator: new Generator(8));
        using var actual = gru.Invoke(x);

        // Keras' GRUCell.call (keras/src/layers/rnn/gru.py), one gate at a time.
        var cell = gru.CellLayer;
        using var k = cell.Kernel.ToCpu();
        using var u = cell.RecurrentKernel.ToCpu();
        using var b = cell.Bias!.ToCpu();
        Tensor Gate(Tensor w, int g) => w.narrow(1, g * units, units);
        Tensor InputBias(int g) => resetAfter ? b[0].narrow(0, g * units, units) : b.narrow(0, g * units, units);
        Func<Tensor, Tensor> sigma = recurrentActivation == "sigmoid" ? t => t.sigmoid() : t => t.mul(0.2).add(0.5).clamp(0, 1);
        var h = zeros(2, units);
        var expected = new List<Tensor>();
        var sequence = goBackwards ? x.flip(1) : x;
        for (int t = 0; t < 4; t++)
        {
            var xt = sequence.select(1, t);
            var xz = xt.matmul(Gate(k, 0)) + InputBias(0);
            var xr = xt.matmul(Gate(k, 1)) + InputBias(1);
            var xh = xt.matmul(Gate(k, 2)) + InputBias(2);
            Tensor z, r, hh;
            if (resetAfter)
            {
                var recurrentBias = b[1];
                var rz = h.matmul(Gate(u, 0)) + recurrentBias.narrow(0, 0, units);
                var rr = h.matmul(Gate(u, 1)) + recurrentBias.narrow(0, units, units);
                var rh = h.matmul(Gate(u, 2)) + recurrentBias.narrow(0, 2 * units, units);
                z = sigma(xz + rz);
                r = sigma(xr + rr);
                hh = (xh + r * rh).tanh();
            }
            else
            {
                z = sigma(xz + h.matmul(Gate(u, 0)));
                r = sigma(xr + h.matmul(Gate(u, 1)));
                hh = (xh + (r * h).matmul(Gate(u, 2))).tanh();
            }
            h = z * h + (1 - z) * hh;
            expected.Add(h);
        }
        using var want = stack(expected, 1);
        Assert.True(want.allclose(actual.cpu(), atol: 1e-6), "GRU output differs from Keras' equations");
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Recurrent_dropout_masks_h_in_the_blend_too_as_Keras_does(bool resetAfter)
    {
        var cell = new GRUCell(1, resetAfter: resetAfter, useBias: false);
        cell.EnsureBuilt([1]);
        cell.RecurrentKernel.Assign(tensor(new[] { 0.3f, -0.7f, 0.9f }, [1, 3]));
        // Projected inputs z, r, h = 0.2, -0.1, 0.4; h = 5 dropped by a zero mask: Keras' h_tm1 * mask is 0 everywhere,
        // so h' = (1 - σ(0.2))·tanh(0.4) = 0.171040, whatever the recurrent kernel holds.
        var next = cell.Step(tensor(new[] { 0.2f, -0.1f, 0.4f }, [1, 3]), [full(1, 1, 5f)], zeros(1, 1));
        Assert.Equal(0.171040f, next[0].item<float>(), 5);
    }

    [Fact]
    public void GRUCell_runs_one_step_from_a_zero_state()
    {
        var cell = new GRUCell(2, resetAfter: false);
        using var y = cell.Invoke(randn(3, 4));
        Assert.Equal([3L, 2L], y.shape);
        Assert.Equal(["kernel", "recurrent_kernel", "bias"], cell.Weights.Select(w => w.Name));
    }

    [Fact]
    public void Config_has_Keras_keys_and_defaults()
    {
        var config = new GRU(5, name: "g").GetConfig();
        Assert.Equal(5, config["units"]!.GetValue<int>());
        Assert.Equal("tanh", config["activation"]!.GetValue<string>());
        Assert.Equal("sigmoid", config["recurrent_activation"]!.GetValue<string>());
        Assert.True(config["reset_after"]!.GetValue<bool>());
        Assert.Equal("Orthogonal", config["recurrent_initializer"]!["class_name"]!.GetValue<string>());
        Assert.False(config["return_sequences"]!.GetValue<bool>());
    }

    [Fact]
    public void A_GRU_config_without_reset_after_is_the_Keras_2_0_GRU()
    {
        // Keras 1 and 2.0-2.1.5 wrote no reset_after; their GRU had one bias of 3·units (and Keras 1 inner_* keys).
        var model = Model.FromJson(
            """{"class_name": "Sequential", "config": [{"class_name": "GRU", "config": {"name": "gru_old", "output_dim": 2, "inner_activation": "hard_sigmoid", "input_dim": 3, "input_length": 4}}]}""");
        var gru = Assert.IsType<GRU>(model.Layers[0]);
        Assert.False(gru.ResetAfter);
        Assert.Equal("hard_sigmoid", gru.RecurrentActivation);
        Assert.Equal([6L], gru.CellLayer.Bias!.Shape);     // 3 gates · 2 units
    }

    [Theory]
    [InlineData("\"units\": 0", "positive number of units")]
    [InlineData("\"units\": 2, \"dropout\": 1.5", "dropout rate")]
    [InlineData("\"units\": 2, \"stateful\": true", "stateful=true")]
    public void Bad_config_values_name_the_layer(string keys, string message)
    {
        var e = Assert.Throws<ConfigException>(() => LayerRegistry.Deserialize(System.Text.Json.Nodes.JsonNode.Parse(
            """{"class_name": "GRU", "config": {"name": "bad_gru", """ + keys + "}}")));
        Assert.Contains("GRU \"bad_gru\" cannot be created", e.Message);
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
        Assert.Equal(["GRU", "GRU", "Dense"], loaded.Layers.Select(l => l.ClassName));
        Assert.False(((GRU)loaded.Layers[1]).ResetAfter);
        Assert.Equal(model.SummaryText(), loaded.SummaryText());
        PredictionAssert.Same(model, loaded, x);
    }

    [Fact]
    public void H5_weight_names_are_tf_keras_ones()
    {
        using var dir = new TempDirectory();
        var (model, _) = TrainedModel();
        var path = dir.Combine("model.h5");
        model.Save(path);
        using var file = Hdf5Input.Open(path, path);
        var layer = model.Layers[0].Name;
        var group = file.Group(file.Group(file.Root, "model_weights"), layer);
        Assert.Equal([$"{layer}/{layer}_cell/kernel:0", $"{layer}/{layer}_cell/recurrent_kernel:0", $"{layer}/{layer}_cell/bias:0"],
                     file.ReadStringList(group, "weight_names"));
    }

    [Fact]
    public void Trained_model_round_trips_through_a_TF_checkpoint_under_TensorFlow_keys()
    {
        using var dir = new TempDirectory();
        var (model, _) = TrainedModel();
        var prefix = dir.Combine("cp");
        model.SaveWeights(prefix);
        using (var reader = BundleReader.Open(prefix))
        {
            Assert.Contains("layer_with_weights-0/cell/kernel/.ATTRIBUTES/VARIABLE_VALUE", reader.Entries.Keys);
            Assert.Contains("layer_with_weights-1/cell/bias/.ATTRIBUTES/VARIABLE_VALUE", reader.Entries.Keys);
        }
        var restored = NewModel(seed: 77);
        restored.LoadWeights(prefix);
        Assert.Equal(TutorialModel.WeightValues(model), TutorialModel.WeightValues(restored));
    }

    [Fact]
    public void A_training_step_changes_every_weight_with_dropout_on()
    {
        var model = NewModel(seed: 5, dropout: 0.3);
        var before = TutorialModel.WeightValues(model);
        var (x, y) = Data();
        model.Fit(x, y, batchSize: 8, epochs: 1, verbose: 0);
        WeightAssert.EveryWeightChanged(model, before);
    }

    static Sequential NewModel(int seed, double dropout = 0.0)
    {
        Backend.SetRandomSeed(seed);
        var model = new Sequential(
            new GRU(4, returnSequences: true, dropout: dropout, recurrentDropout: dropout, inputShape: [5, 3]),
            new GRU(3, resetAfter: false, dropout: dropout),
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
