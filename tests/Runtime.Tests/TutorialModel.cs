using Layerwise.Layers;
using Layerwise.Models;
using Layerwise.Training.Losses;
using Layerwise.Training.Metrics;
using TorchSharp;
using static TorchSharp.torch;

namespace Layerwise.Tests;

/// <summary>The tutorial's 784-512-10 model (compiled with Adam) and small seeded data for it.</summary>
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
}
