using Layerwise.Data;
using Layerwise.Layers;
using Layerwise.Models;
using Layerwise.Training.Losses;
using Layerwise.Training.Metrics;
using TorchSharp;
using static TorchSharp.torch;

namespace Layerwise.Tests;

/// <summary>The tutorial's 784-512-10 model (compiled with Adam), small seeded data for it, and the tutorial's MNIST slices.</summary>
public static class TutorialModel
{
    public static Sequential Create(int hidden = 512, bool compile = true)
    {
        var model = new Sequential(
            new Dense(hidden, activation: "relu", inputShape: [784]),
            new Dropout(0.2),
            new Dense(10));
        model.EnsureBuilt([784]); // as Keras builds a Sequential whose first layer has an input shape
        if (compile)
            model.Compile(optimizer: "adam",
                          loss: new SparseCategoricalCrossentropy(fromLogits: true),
                          metrics: [new SparseCategoricalAccuracy()]);
        return model;
    }

    /// <summary><paramref name="samples"/> random inputs in [0, 1) and labels 0..9 from a private generator.</summary>
    public static (Tensor X, Tensor Y) Data(int samples, long seed = 7)
    {
        var generator = new Generator((ulong)seed);
        var x = rand([samples, 784], generator: generator);
        var y = randint(0, 10, [samples], dtype: ScalarType.Int64, generator: generator);
        return (x, y);
    }

    /// <summary>Every weight's bytes, for bit-exact comparisons.</summary>
    public static float[][] WeightValues(Model model) =>
        [.. model.Weights.Select(w => { using var c = w.ToCpu(); return c.data<float>().ToArray(); })];

    public static void SingleThread() => torch.set_num_threads(1);

    static (Tensor X, Tensor Y)? mnistTrain, mnistTest;

    /// <summary>The first <paramref name="count"/> (at most 1000) MNIST training examples, preprocessed as in the tutorial.</summary>
    public static (Tensor X, Tensor Y) MnistTrain(int count = 1000)
    {
        mnistTrain ??= LoadMnist(training: true);
        return (mnistTrain.Value.X.narrow(0, 0, count), mnistTrain.Value.Y.narrow(0, 0, count));
    }

    /// <summary>The first <paramref name="count"/> (at most 1000) MNIST test examples.</summary>
    public static (Tensor X, Tensor Y) MnistTest(int count = 1000)
    {
        mnistTest ??= LoadMnist(training: false);
        return (mnistTest.Value.X.narrow(0, 0, count), mnistTest.Value.Y.narrow(0, 0, count));
    }

    static (Tensor, Tensor) LoadMnist(bool training)
    {
        var data = Mnist.Load();
        var (x, y) = training
            ? Mnist.Preprocess(data.TrainImages, data.TrainLabels, 1000)
            : Mnist.Preprocess(data.TestImages, data.TestLabels, 1000);
        x.DetachFromDisposeScope();
        y.DetachFromDisposeScope();
        return (x, y);
    }
}
