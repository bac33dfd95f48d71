using Layerwise.Formats.Checkpoint;
using Layerwise.Layers;
using Layerwise.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace Layerwise.Tests.Layers;

/// <summary>RepeatVector: values, shapes (unknown features included), bad ranks, a seq2seq-shaped model in every file format.</summary>
[Collection(GlobalRandomState.Name)]
public class RepeatVectorTests
{
    public RepeatVectorTests() => torch.set_num_threads(1);

    [Fact]
    public void Each_vector_is_repeated_n_times()
    {
        var layer = new RepeatVector(3);
        using var y = layer.Invoke(tensor(new[] { 1f, 2f, 3f, 4f }, [2, 2]));
        Assert.Equal([2L, 3, 2], y.shape);
        Assert.Equal([1f, 2f, 1f, 2f, 1f, 2f, 3f, 4f, 3f, 4f, 3f, 4f], y.data<float>().ToArray());
        Assert.Equal([3L, -1], layer.ComputeOutputShape([-1]));
        Assert.Equal(3, layer.GetConfig()["n"]!.GetValue<int>());
    }

    [Fact]
    public void Inputs_other_than_rank_2_and_a_non_positive_n_are_refused()
    {
        Assert.Throws<IncompatibleShapeException>(() => new RepeatVector(2).Invoke(randn(1, 2, 3)));
        Assert.Throws<ArgumentOutOfRangeException>(() => new RepeatVector(0));
    }

    public static TheoryData<string> Paths => new() { "model.h5", "model.keras", "model_dir", "cp" };

    [Theory]
    [MemberData(nameof(Paths))]
    public void Trained_model_round_trips_in_every_format(string fileName)
    {
        using var dir = new TempDirectory();
        var model = NewModel(seed: 9);
        var generator = new Generator(3);
        using var x = randn([8, 3], generator: generator);
        using var y = randn([8, 1], generator: generator);
        model.Fit(x, y, batchSize: 4, epochs: 1, verbose: 0);
        var path = dir.Combine(fileName);
        Model loaded;
        if (fileName == "cp")
        {
            model.SaveWeights(path);
            loaded = NewModel(seed: 10);
            loaded.LoadWeights(path);
        }
        else
        {
            model.Save(path);
            loaded = Model.Load(path);
            Assert.Equal(5, ((RepeatVector)loaded.Layers[1]).N);
        }
        PredictionAssert.Same(model, loaded, x);
    }

    static Sequential NewModel(int seed)
    {
        Backend.SetRandomSeed(seed);
        var model = new Sequential(new Dense(4, inputShape: [3]), new RepeatVector(5), new LSTM(2), new Dense(1));
        model.Compile(optimizer: "adam", loss: "mse");
        return model;
    }
}
