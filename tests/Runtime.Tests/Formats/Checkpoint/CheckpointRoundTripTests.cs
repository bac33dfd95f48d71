using Layerwise.Formats.Checkpoint;
using Layerwise.Layers;
using Layerwise.Models;
using Layerwise.Training.Optimizers;
using Layerwise.Training.Losses;
using static TorchSharp.torch;

namespace Layerwise.Tests.Formats.Checkpoint;

public class CheckpointRoundTripTests
{
    [Fact]
    public void Saved_weights_load_bit_exact_into_a_fresh_model_and_the_state_file_names_them()
    {
        TutorialModel.SingleThread();
        using var dir = new TempDirectory();
        var model = TutorialModel.Create(hidden: 32);
        var (x, y) = TutorialModel.Data(64);
        model.Fit(x, y, epochs: 1, verbose: 0);
        var prefix = dir.Combine("checkpoints", "my_checkpoint");
        model.SaveWeights(prefix);

        Assert.Equal(["checkpoint", "my_checkpoint.data-00000-of-00001", "my_checkpoint.index"],
                     Directory.GetFiles(dir.Combine("checkpoints")).Select(Path.GetFileName).Order());
        Assert.Equal(prefix, Layerwise.Checkpoint.Latest(dir.Combine("checkpoints")));

        var restored = TutorialModel.Create(hidden: 32);
        restored.LoadWeights(prefix);
        Assert.Equal(TutorialModel.WeightValues(model), TutorialModel.WeightValues(restored));
        using var expected = model.Predict(x);
        using var actual = restored.Predict(x);
        Assert.True(expected.equal(actual).all().item<bool>());
    }

    [Fact]
    public void Optimizer_slots_iterations_and_learning_rate_round_trip()
    {
        TutorialModel.SingleThread();
        using var dir = new TempDirectory();
        var model = TutorialModel.Create(hidden: 16);
        var (x, y) = TutorialModel.Data(64);
        model.Fit(x, y, epochs: 2, verbose: 0);
        model.SaveWeights(dir.Combine("cp"));

        using (var reader = BundleReader.Open(dir.Combine("cp")))
        {
            Assert.Contains("optimizer/iter/.ATTRIBUTES/VARIABLE_VALUE", reader.Entries.Keys);
            Assert.Contains("optimizer/learning_rate/.ATTRIBUTES/VARIABLE_VALUE", reader.Entries.Keys);
            Assert.Contains("layer_with_weights-0/kernel/.OPTIMIZER_SLOT/optimizer/m/.ATTRIBUTES/VARIABLE_VALUE", reader.Entries.Keys);
            Assert.Contains("layer_with_weights-1/bias/.OPTIMIZER_SLOT/optimizer/v/.ATTRIBUTES/VARIABLE_VALUE", reader.Entries.Keys);
            Assert.Equal(TensorDataType.Int64, reader.Entry("optimizer/iter/.ATTRIBUTES/VARIABLE_VALUE").DType);
            var graph = TrackableObjectGraph.Parse(reader.ReadString("_CHECKPOINTABLE_OBJECT_GRAPH"));
            var optimizer = graph.Nodes[graph.Find("optimizer")!.Value];
            Assert.Equal(8, optimizer.SlotVariables.Count); // 4 weights x (m, v)
        }

        var restored = TutorialModel.Create(hidden: 16);
        restored.LoadWeights(dir.Combine("cp"));
        var (a, b) = (model.Optimizer!, restored.Optimizer!);
        Assert.Equal(a.Iterations, b.Iterations);
        Assert.Equal(a.LearningRate, b.LearningRate);
        for (int i = 0; i < model.Weights.Count; i++)
            foreach (var slot in a.SlotNames)
                Assert.True(a.GetSlot(model.Weights[i], slot).equal(b.GetSlot(restored.Weights[i], slot)).all().item<bool>(), $"slot {slot} of weight {i}");
    }

    [Fact]
    public void A_model_loaded_without_compiling_ignores_the_optimizer_state()
    {
        TutorialModel.SingleThread();
        using var dir = new TempDirectory();
        var model = TutorialModel.Create(hidden: 16);
        var (x, y) = TutorialModel.Data(32);
        model.Fit(x, y, epochs: 1, verbose: 0);
        model.SaveWeights(dir.Combine("cp"));
        var plain = TutorialModel.Create(hidden: 16, compile: false);
        plain.LoadWeights(dir.Combine("cp"));
        Assert.Equal(TutorialModel.WeightValues(model), TutorialModel.WeightValues(plain));
    }

    [Fact]
    public void Loading_into_a_model_without_input_shape_waits_until_it_is_built()
    {
        using var dir = new TempDirectory();
        var model = TutorialModel.Create(hidden: 16);
        model.SaveWeights(dir.Combine("cp"));
        var unbuilt = new Sequential(new Dense(16, activation: "relu"), new Dropout(0.2), new Dense(10));
        unbuilt.LoadWeights(dir.Combine("cp"));
        Assert.False(unbuilt.Built);
        using var x = rand(2, 784);
        using var expected = model.Predict(x);
        using var actual = unbuilt.Predict(x);
        Assert.True(expected.equal(actual).all().item<bool>());
    }

    [Fact]
    public void Sgd_with_momentum_and_rmsprop_state_round_trip()
    {
        TutorialModel.SingleThread();
        foreach (Optimizer make in new Optimizer[] { new SGD(0.01, momentum: 0.9), new RMSprop(momentum: 0.5, centered: true) })
        {
            using var dir = new TempDirectory();
            var (x, y) = TutorialModel.Data(32);
            var model = TutorialModel.Create(hidden: 8, compile: false);
            model.Compile(make, new SparseCategoricalCrossentropy(fromLogits: true));
            model.Fit(x, y, epochs: 1, verbose: 0);
            model.SaveWeights(dir.Combine("cp"));
            var other = TutorialModel.Create(hidden: 8, compile: false);
            Optimizer fresh = make is SGD ? new SGD(0.01, momentum: 0.9) : new RMSprop(momentum: 0.5, centered: true);
            other.Compile(fresh, new SparseCategoricalCrossentropy(fromLogits: true));
            other.LoadWeights(dir.Combine("cp"));
            foreach (var slot in make.SlotNames)
                Assert.True(make.GetSlot(model.Weights[0], slot).equal(fresh.GetSlot(other.Weights[0], slot)).all().item<bool>(), $"{make.ClassName} {slot}");
        }
    }

    [Fact]
    public void SaveWeights_picks_the_format_by_extension_and_refuses_keras_archives()
    {
        using var dir = new TempDirectory();
        var model = TutorialModel.Create(hidden: 8);
        model.SaveWeights(dir.Combine("w.weights.h5"));
        model.SaveWeights(dir.Combine("w.h5"));
        model.SaveWeights(dir.Combine("prefix"));

        byte[] hdf5Signature = [0x89, (byte)'H', (byte)'D', (byte)'F'];
        Assert.Equal(hdf5Signature, File.ReadAllBytes(dir.Combine("w.weights.h5"))[..4]);
        Assert.Equal(hdf5Signature, File.ReadAllBytes(dir.Combine("w.h5"))[..4]);
        Assert.True(File.Exists(dir.Combine("prefix.index")));
        foreach (var path in new[] { "w.weights.h5", "w.h5", "prefix" })
        {
            var other = TutorialModel.Create(hidden: 8);
            other.LoadWeights(dir.Combine(path));
            Assert.All(model.Weights.Zip(other.Weights), p => Assert.True(p.First.ToCpu().equal(p.Second.ToCpu()).all().item<bool>(), path));
        }
        var e = Assert.Throws<NotSupportedException>(() => model.SaveWeights(dir.Combine("m.keras")));
        Assert.Contains("Model.Load", e.Message);
    }
}

/// <summary>Seeded runs compared bit for bit: alone, so that no other test draws from torch's generator meanwhile.</summary>
[Collection(GlobalRandomState.Name)]
public class CheckpointResumeTests
{
    [Fact]
    public void Resuming_from_a_checkpoint_gives_bit_identical_weights_to_training_straight_through()
    {
        TutorialModel.SingleThread();
        var (x, y) = TutorialModel.Data(96);
        using var dir = new TempDirectory();

        Backend.SetRandomSeed(3);
        var straight = TutorialModel.Create(hidden: 32);
        straight.Fit(x, y, epochs: 6, verbose: 0);

        Backend.SetRandomSeed(3);
        var first = TutorialModel.Create(hidden: 32);
        first.Fit(x, y, epochs: 3, verbose: 0);
        first.SaveWeights(dir.Combine("cp"));
        var randomState = RandomState.Capture();   // data order and dropout masks continue from here

        var resumed = TutorialModel.Create(hidden: 32); // draws new initial weights: the RNG moves on
        resumed.LoadWeights(dir.Combine("cp"));
        RandomState.Restore(randomState);
        resumed.Fit(x, y, epochs: 6, initialEpoch: 3, verbose: 0);

        Assert.Equal(straight.Optimizer!.Iterations, resumed.Optimizer!.Iterations);
        Assert.Equal(TutorialModel.WeightValues(straight), TutorialModel.WeightValues(resumed));
    }
}
