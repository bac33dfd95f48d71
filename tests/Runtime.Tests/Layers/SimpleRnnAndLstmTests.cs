using Layerwise.Formats;
using Layerwise.Formats.Checkpoint;
using Layerwise.Formats.Hdf5;
using Layerwise.Layers;
using Layerwise.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace Layerwise.Tests.Layers;

/// <summary>
/// SimpleRNN and LSTM: output shapes, values against hand-computed recurrences, the weights' Keras
/// layout (a sub-layer "cell" holding kernel, recurrent_kernel, bias), every file format, training.
/// </summary>
[Collection(GlobalRandomState.Name)]
public class SimpleRnnAndLstmTests
{
    public SimpleRnnAndLstmTests() => torch.set_num_threads(1);

    [Theory]
    [InlineData(false, new long[] { 4 })]
    [InlineData(true, new long[] { 5, 4 })]
    public void Output_shapes_follow_return_sequences(bool returnSequences, long[] expected)
    {
        foreach (Layer layer in new Layer[] { new SimpleRNN(4, returnSequences: returnSequences), new LSTM(4, returnSequences: returnSequences) })
        {
            using var y = layer.Invoke(randn(2, 5, 3));
            Assert.Equal([2L, .. expected], y.shape);
            Assert.Equal(expected, layer.ComputeOutputShape([5, 3]));
        }
    }

    [Fact]
    public void Weights_have_Keras_fused_shapes_and_live_in_the_cell()
    {
        var lstm = new LSTM(3);
        lstm.EnsureBuilt([6, 2]);
        Assert.Equal([("kernel", new long[] { 2, 12 }), ("recurrent_kernel", [3, 12]), ("bias", [12])],
                     lstm.Weights.Select(w => (w.Name, w.Shape)));
        Assert.All(lstm.Weights, w => Assert.Same(lstm.CellLayer, w.Owner));
        Assert.Equal(lstm.Name + "_cell", lstm.CellLayer.Name);
        // unit_forget_bias: the forget gate's quarter of the bias starts at one, the rest at zero.
        Assert.Equal([0f, 0f, 0f, 1f, 1f, 1f, 0f, 0f, 0f, 0f, 0f, 0f], lstm.CellLayer.Bias!.ToCpu().data<float>().ToArray());
        var rnn = new SimpleRNN(3);
        rnn.EnsureBuilt([6, 2]);
        Assert.Equal(2 * 3 + 3 * 3 + 3, rnn.CountParams());
    }

    [Fact]
    public void Recurrent_kernel_starts_orthogonal()
    {
        Backend.SetRandomSeed(12);
        var lstm = new LSTM(3);
        lstm.EnsureBuilt([2, 2]);
        using var k = lstm.CellLayer.RecurrentKernel.ToCpu();     // [3, 12]: orthonormal rows
        using var gram = k.matmul(k.t());
        Assert.True(gram.allclose(eye(3), atol: 1e-5), "K·Kᵀ is not the identity");
    }

    [Fact]
    public void SimpleRNN_matches_a_hand_computed_sequence()
    {
        var rnn = new SimpleRNN(2, returnSequences: true);
        rnn.EnsureBuilt([2, 1]);
        rnn.CellLayer.Kernel.Assign(tensor(new[] { 0.5f, -1.0f }, [1, 2]));
        rnn.CellLayer.RecurrentKernel.Assign(tensor(new[] { 0.1f, 0.2f, 0.3f, 0.4f }, [2, 2]));
        rnn.CellLayer.Bias!.Assign(tensor(new[] { 0.0f, 0.5f }));
        using var y = rnn.Invoke(tensor(new[] { 1.0f, 2.0f }, [1, 2, 1]));
        // h1 = tanh([0.5, -1 + 0.5]); h2 = tanh(2·[0.5, -1] + h1·U + b)
        float[] expected = [0.462117f, -0.462117f, 0.719967f, -0.920520f];
        WeightAssert.Close(expected, y.data<float>().ToArray());
    }

    [Theory]
    [InlineData("sigmoid", 0.179227, 0.004053)]
    [InlineData("hard_sigmoid", 0.170229, -0.017275)]
    public void LSTM_matches_a_hand_computed_sequence(string recurrentActivation, double h1, double h2)
    {
        var lstm = new LSTM(1, recurrentActivation: recurrentActivation, returnSequences: true);
        lstm.EnsureBuilt([2, 1]);
        // Gates i, f, c, o.
        lstm.CellLayer.Kernel.Assign(tensor(new[] { 0.5f, -0.3f, 0.8f, 0.1f }, [1, 4]));
        lstm.CellLayer.RecurrentKernel.Assign(tensor(new[] { 0.2f, 0.4f, -0.6f, 0.7f }, [1, 4]));
        lstm.CellLayer.Bias!.Assign(tensor(new[] { 0.1f, 1.0f, -0.2f, 0.05f }));
        using var y = lstm.Invoke(tensor(new[] { 1.0f, -2.0f }, [1, 2, 1]));
        // Step 1 by hand (sigmoid): i = σ(0.6), c = i·tanh(0.6) = 0.3468, h = σ(0.15)·tanh(c) = 0.1792.
        WeightAssert.Close([(float)h1, (float)h2], y.data<float>().ToArray());
    }

    [Fact]
    public void Go_backwards_reads_the_sequence_last_step_first()
    {
        Backend.SetRandomSeed(3);
        var forward = new LSTM(3, returnSequences: true);
        var backward = new LSTM(3, returnSequences: true, goBackwards: true);
        forward.EnsureBuilt([4, 2]);
        backward.EnsureBuilt([4, 2]);
        foreach (var (a, b) in forward.Weights.Zip(backward.Weights)) b.Assign(a.Value);
        using var x = randn(2, 4, 2);
        using var expected = forward.Invoke(x.flip(1));
        using var actual = backward.Invoke(x);
        Assert.True(expected.allclose(actual));
    }

    [Fact]
    public void Sequences_of_another_length_are_accepted_and_other_feature_sizes_refused()
    {
        var lstm = new LSTM(2);
        lstm.EnsureBuilt([3, 2]);
        using var y = lstm.Invoke(randn(1, 7, 2));
        Assert.Equal([1L, 2L], y.shape);
        Assert.Throws<IncompatibleShapeException>(() => lstm.Invoke(randn(1, 3, 5)));
    }

    [Fact]
    public void Return_state_and_stateful_are_refused_with_the_expected_value()
    {
        var e = Assert.Throws<ModelFileException>(() => Model.FromJson(
            """{"class_name": "Sequential", "config": {"name": "s", "layers": [{"class_name": "LSTM", "config": {"units": 2, "return_state": true, "batch_input_shape": [null, 3, 1]}}]}}"""));
        Assert.Contains("return_state=true", e.Message);
        Assert.Contains("expected return_state=false", e.Message);
        Assert.Throws<ArgumentException>(() => new SimpleRNN(2, stateful: true));
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
        Assert.Equal(["LSTM", "SimpleRNN", "Flatten", "Dense"], loaded.Layers.Select(l => l.ClassName));
        Assert.Equal(model.SummaryText(), loaded.SummaryText());
        PredictionAssert.Same(model, loaded, x);
    }

    [Fact]
    public void Trained_model_round_trips_through_a_TF_checkpoint_under_TensorFlow_keys()
    {
        using var dir = new TempDirectory();
        var (model, x) = TrainedModel();
        var prefix = dir.Combine("cp");
        model.SaveWeights(prefix);
        using (var reader = BundleReader.Open(prefix))
        {
            // tf.keras keeps an RNN's weights in its cell: layer_with_weights-0/cell/kernel.
            Assert.Contains("layer_with_weights-0/cell/kernel/.ATTRIBUTES/VARIABLE_VALUE", reader.Entries.Keys);
            Assert.Contains("layer_with_weights-1/cell/recurrent_kernel/.ATTRIBUTES/VARIABLE_VALUE", reader.Entries.Keys);
        }
        var restored = NewModel(seed: 77);
        restored.LoadWeights(prefix);
        Assert.Equal(TutorialModel.WeightValues(model), TutorialModel.WeightValues(restored));
    }

    [Fact]
    public void Keras_3_weights_file_keeps_the_weights_under_the_cell()
    {
        using var dir = new TempDirectory();
        var (model, _) = TrainedModel();
        var path = dir.Combine("model.weights.h5");
        model.SaveWeights(path);
        using (var file = Hdf5Input.Open(path, path))
        {
            var cell = file.Group(file.Group(file.Group(file.Root, "layers"), "lstm"), "cell");
            Assert.True(file.HasLink(file.Group(cell, "vars"), "2"));
        }
        var restored = NewModel(seed: 78);
        restored.LoadWeights(path);
        Assert.Equal(TutorialModel.WeightValues(model), TutorialModel.WeightValues(restored));
    }

    [Fact]
    public void A_training_step_changes_every_weight_with_dropout_on()
    {
        Backend.SetRandomSeed(5);
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
            new LSTM(4, returnSequences: true, dropout: dropout, recurrentDropout: dropout, inputShape: [5, 3]),
            new SimpleRNN(3, returnSequences: true, dropout: dropout),
            new Flatten(),
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
