using Layerwise.Layers;
using Layerwise.Models;
using static TorchSharp.torch;

namespace Layerwise.Tests.Formats;

/// <summary>
/// A model of Conv1D (causal, same, channels_first), LeakyReLU and ELU layers through every format:
/// whole model (.h5, .keras, directory) and weights (TensorFlow checkpoint, Keras 2 and Keras 3
/// HDF5 weights). The loaded model has the same config, summary and predictions, bit for bit.
/// </summary>
[Collection(GlobalRandomState.Name)]
public class Conv1DModelRoundTripTests
{
    public Conv1DModelRoundTripTests() => TutorialModel.SingleThread();

    static Sequential Create() => new(
        new Conv1D(4, [3], padding: "causal", dilationRate: [2], activation: "tanh", inputShape: [10, 3]),
        new LeakyReLU(alpha: 0.2),
        new Conv1D(3, [2], strides: [2], padding: "same", dataFormat: "channels_first", useBias: false),
        new ELU(alpha: 0.5),
        new Flatten(),
        new Dense(2));

    [Theory]
    [InlineData("model.h5")]
    [InlineData("model.keras")]
    [InlineData("model_dir")]
    public void Whole_model_round_trips(string fileName)
    {
        using var dir = new TempDirectory();
        Backend.SetRandomSeed(17);
        var model = Create();
        model.Compile("adam", "mse");
        using var x = randn(12, 10, 3);
        using var y = randn(12, 2);
        model.Fit(x, y, batchSize: 6, epochs: 1, verbose: 0);
        var path = dir.Combine(fileName);
        model.Save(path);

        var loaded = Model.Load(path);

        Assert.Equal(model.SummaryText(), loaded.SummaryText());
        Assert.Equal(model.Layers.Select(l => l.GetConfig().ToJsonString()), loaded.Layers.Select(l => l.GetConfig().ToJsonString()));
        PredictionAssert.Same(model, loaded, x);
        Backend.SetRandomSeed(3);
        model.Fit(x, y, batchSize: 6, epochs: 1, verbose: 0);
        Backend.SetRandomSeed(3);
        loaded.Fit(x, y, batchSize: 6, epochs: 1, verbose: 0);
        Assert.Equal(TutorialModel.WeightValues(model), TutorialModel.WeightValues(loaded));
    }

    [Theory]
    [InlineData("ckpt/cp.ckpt")]
    [InlineData("weights.h5")]
    [InlineData("model.weights.h5")]
    public void Weights_round_trip(string fileName)
    {
        using var dir = new TempDirectory();
        Backend.SetRandomSeed(18);
        var model = Create();
        var path = dir.Combine(fileName);
        model.SaveWeights(path);
        var fresh = Create();
        Assert.NotEqual(TutorialModel.WeightValues(model), TutorialModel.WeightValues(fresh));

        fresh.LoadWeights(path);

        Assert.Equal(TutorialModel.WeightValues(model), TutorialModel.WeightValues(fresh));
        using var x = randn(4, 10, 3);
        PredictionAssert.Same(model, fresh, x);
    }
}
