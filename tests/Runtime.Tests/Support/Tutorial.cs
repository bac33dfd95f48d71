using Layerwise.Data;
using Layerwise.Layers;
using Layerwise.Models;
using Layerwise.Training.Losses;
using Layerwise.Training.Metrics;
using static TorchSharp.torch;

namespace Layerwise.Tests.Support;

/// <summary>The tutorial's model and data, shared by tests that train it.</summary>
internal static class Tutorial
{
    public static Sequential CreateModel()
    {
        var model = new Sequential(
            new Dense(512, activation: "relu", inputShape: [784]),
            new Dropout(0.2),
            new Dense(10));
        model.Compile(optimizer: "adam",
                      loss: new SparseCategoricalCrossentropy(fromLogits: true),
                      metrics: [new SparseCategoricalAccuracy()]);
        return model;
    }

    static (Tensor X, Tensor Y)? train, test;

    /// <summary>The first <paramref name="count"/> training examples, preprocessed as in the tutorial.</summary>
    public static (Tensor X, Tensor Y) Train(int count = 1000)
    {
        train ??= Load(true);
        return (train.Value.X.narrow(0, 0, count), train.Value.Y.narrow(0, 0, count));
    }

    public static (Tensor X, Tensor Y) Test(int count = 1000)
    {
        test ??= Load(false);
        return (test.Value.X.narrow(0, 0, count), test.Value.Y.narrow(0, 0, count));
    }

    static (Tensor, Tensor) Load(bool training)
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
