using Layerwise.Models;
using Layerwise.Training.Optimizers;
using TorchSharp;
using static TorchSharp.torch;

namespace Layerwise.Tests.Formats;

/// <summary>
/// Save -> Load for each whole-model format (.h5, .keras, directory): the loaded model predicts the
/// same bits, prints the same summary, is compiled the same way, and training continued from it
/// gives bit-identical weights to training continued from the original (seeded).
/// </summary>
[Collection(GlobalRandomState.Name)]
public class ModelRoundTripTests
{
    public ModelRoundTripTests() => TutorialModel.SingleThread();

    public static TheoryData<string> Paths => new() { "model.h5", "model.keras", "model_dir" };

    [Theory]
    [MemberData(nameof(Paths))]
    public void Tutorial_model_round_trips_with_compile_config_and_optimizer_state(string fileName)
    {
        using var dir = new TempDirectory();
        Backend.SetRandomSeed(11);
        var (x, y) = TutorialModel.Data(96);
        var model = TutorialModel.Create(hidden: 32);
        model.Fit(x, y, batchSize: 32, epochs: 2, verbose: 0);
        var path = dir.Combine(fileName);
        model.Save(path);

        var loaded = Model.Load(path);

        Assert.IsType<Sequential>(loaded);
        Assert.Equal(model.SummaryText(), loaded.SummaryText());
        Assert.Equal(model.Name, loaded.Name);
        PredictionAssert.Same(model, loaded, x);
        Assert.True(loaded.IsCompiled);
        var adam = Assert.IsType<Adam>(loaded.Optimizer);
        Assert.Equal(model.Optimizer!.Iterations, adam.Iterations);
        Assert.Equal(model.Loss!.GetType(), loaded.Loss!.GetType());
        Assert.True(((Layerwise.Training.Losses.SparseCategoricalCrossentropy)loaded.Loss).FromLogits);
        Assert.Equal(model.Metrics.Select(m => (m.GetType(), m.Name)), loaded.Metrics.Select(m => (m.GetType(), m.Name)));
        foreach (var (original, restored) in model.TrainableWeights.Zip(loaded.TrainableWeights))
            foreach (var slot in model.Optimizer.SlotNames)
                Assert.True(model.Optimizer.GetSlot(original, slot).eq(adam.GetSlot(restored, slot)).all().item<bool>(), $"slot {slot} of {original.Path} differs");

        Backend.SetRandomSeed(99);
        model.Fit(x, y, batchSize: 32, epochs: 2, verbose: 0);
        Backend.SetRandomSeed(99);
        loaded.Fit(x, y, batchSize: 32, epochs: 2, verbose: 0);
        Assert.Equal(TutorialModel.WeightValues(model), TutorialModel.WeightValues(loaded));
    }

    [Theory]
    [MemberData(nameof(Paths))]
    public void Uncompiled_model_round_trips_without_a_training_config(string fileName)
    {
        using var dir = new TempDirectory();
        Backend.SetRandomSeed(12);
        var model = TutorialModel.Create(hidden: 16, compile: false);
        var path = dir.Combine(fileName);
        model.Save(path);
        var loaded = Model.Load(path);
        Assert.False(loaded.IsCompiled);
        Assert.Equal(TutorialModel.WeightValues(model), TutorialModel.WeightValues(loaded));
    }

    [Theory]
    [MemberData(nameof(Paths))]
    public void Load_without_compile_leaves_the_model_uncompiled(string fileName)
    {
        using var dir = new TempDirectory();
        var model = TutorialModel.Create(hidden: 8);
        var path = dir.Combine(fileName);
        model.Save(path);
        Assert.False(Model.Load(path, compile: false).IsCompiled);
    }

    [Theory]
    [MemberData(nameof(Paths))]
    public void Convolutional_model_round_trips(string fileName)
    {
        using var dir = new TempDirectory();
        Backend.SetRandomSeed(13);
        var model = new Sequential(
            new Layerwise.Layers.Conv2D(4, [3, 3], activation: "relu", padding: "same", inputShape: [12, 12, 1]),
            new Layerwise.Layers.MaxPooling2D([2, 2]),
            new Layerwise.Layers.Conv2D(6, [3, 3], strides: [2, 2]),
            new Layerwise.Layers.ReLU(maxValue: 6),
            new Layerwise.Layers.Flatten(),
            new Layerwise.Layers.Dense(3),
            new Layerwise.Layers.Softmax());
        model.Compile(new RMSprop(momentum: 0.5, centered: true), "sparse_categorical_crossentropy", ["accuracy"]);
        using var x = rand(16, 12, 12, 1);
        using var y = randint(0, 3, [16], ScalarType.Int64);
        model.Fit(x, y, batchSize: 8, epochs: 1, verbose: 0);
        var path = dir.Combine(fileName);
        model.Save(path);
        var loaded = Model.Load(path);
        Assert.Equal(model.SummaryText(), loaded.SummaryText());
        using (var expected = model.Predict(x))
        using (var actual = loaded.Predict(x))
            Assert.True(expected.eq(actual).all().item<bool>());
        var rms = Assert.IsType<RMSprop>(loaded.Optimizer);
        Assert.True(rms.Centered);
        Assert.Equal(0.5, rms.Momentum);
        Backend.SetRandomSeed(5);
        model.Fit(x, y, batchSize: 8, epochs: 1, verbose: 0);
        Backend.SetRandomSeed(5);
        loaded.Fit(x, y, batchSize: 8, epochs: 1, verbose: 0);
        Assert.Equal(TutorialModel.WeightValues(model), TutorialModel.WeightValues(loaded));
    }

    [Theory]
    [MemberData(nameof(Paths))]
    public void Subclassed_model_with_a_custom_layer_round_trips(string fileName)
    {
        using var dir = new TempDirectory();
        Backend.SetRandomSeed(14);
        var model = new Serialization.TwoTower(6, 3);
        model.Compile(new SGD(0.05, momentum: 0.9), new Layerwise.Training.Losses.SparseCategoricalCrossentropy(fromLogits: true));
        using var x = randn(20, 5);
        using var y = randint(0, 3, [20], ScalarType.Int64);
        model.Fit(x, y, batchSize: 10, epochs: 1, verbose: 0);
        var path = dir.Combine(fileName);
        model.Save(path);
        var loaded = Assert.IsType<Serialization.TwoTower>(Model.Load(path));
        Assert.Equal(model.HiddenUnits, loaded.HiddenUnits);
        using (var expected = model.Predict(x))
        using (var actual = loaded.Predict(x))
            Assert.True(expected.eq(actual).all().item<bool>());
        Backend.SetRandomSeed(6);
        model.Fit(x, y, batchSize: 10, epochs: 1, verbose: 0);
        Backend.SetRandomSeed(6);
        loaded.Fit(x, y, batchSize: 10, epochs: 1, verbose: 0);
        Assert.Equal(TutorialModel.WeightValues(model), TutorialModel.WeightValues(loaded));
    }

    [Theory]
    [MemberData(nameof(Paths))]
    public void Model_weights_of_its_own_round_trip(string fileName)
    {
        using var dir = new TempDirectory();
        Backend.SetRandomSeed(16);
        var model = new ScaledHead(3);
        model.EnsureBuilt([4]);
        var path = dir.Combine(fileName);
        model.Save(path);
        var loaded = Assert.IsType<ScaledHead>(Model.Load(path));
        Assert.Equal(["scale", "kernel", "bias"], loaded.Weights.Select(w => w.Name));
        Assert.Equal(TutorialModel.WeightValues(model), TutorialModel.WeightValues(loaded));
    }

    [Theory]
    [InlineData("weights.h5")]
    [InlineData("model.weights.h5")]
    public void Hdf5_weights_round_trip_into_a_fresh_model(string fileName)
    {
        using var dir = new TempDirectory();
        Backend.SetRandomSeed(15);
        var model = TutorialModel.Create(hidden: 16);
        var path = dir.Combine(fileName);
        model.SaveWeightsHdf5(path);
        var fresh = TutorialModel.Create(hidden: 16);
        Assert.NotEqual(TutorialModel.WeightValues(model), TutorialModel.WeightValues(fresh));
        fresh.LoadWeightsHdf5(path);
        Assert.Equal(TutorialModel.WeightValues(model), TutorialModel.WeightValues(fresh));
    }

    [Fact]
    public void Whole_model_h5_weights_load_into_a_model_built_in_code()
    {
        using var dir = new TempDirectory();
        var model = TutorialModel.Create(hidden: 16);
        var path = dir.Combine("model.h5");
        model.Save(path);
        var fresh = TutorialModel.Create(hidden: 16);
        fresh.LoadWeightsHdf5(path);
        Assert.Equal(TutorialModel.WeightValues(model), TutorialModel.WeightValues(fresh));
    }

    [Fact]
    public void Saving_again_replaces_the_file_and_leaves_no_temporary_files()
    {
        using var dir = new TempDirectory();
        var path = dir.Combine("m.keras");
        TutorialModel.Create(hidden: 4).Save(path);
        var second = TutorialModel.Create(hidden: 5);
        second.Save(path);
        Assert.Equal(["m.keras"], Directory.GetFileSystemEntries(dir.Path).Select(Path.GetFileName));
        Assert.Equal(TutorialModel.WeightValues(second), TutorialModel.WeightValues(Model.Load(path)));
        var directory = dir.Combine("saved");
        TutorialModel.Create(hidden: 4).Save(directory);
        second.Save(directory);
        Assert.Equal(["config.json", "metadata.json", "model.weights.h5"], Directory.GetFiles(directory).Select(Path.GetFileName).Order());
        Assert.Equal(2, Directory.GetFileSystemEntries(dir.Path).Length);
    }
}
