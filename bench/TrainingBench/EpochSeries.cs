using System.Diagnostics;
using Layerwise.Layers;
using Layerwise.Models;
using Layerwise.Training.Losses;
using TorchSharp;
using static TorchSharp.torch;

namespace Layerwise.Bench;

/// <summary>
/// Per-epoch Fit times over many epochs, two identical models (same seed, same data) trained side by side,
/// epoch by epoch alternately: one with denormals flushed (the default), one keeping IEEE denormals.
/// With <c>randomLabels</c> the targets are random, which drives weights into denormal range sooner.
/// </summary>
static class EpochSeries
{
    public static void Run(Tensor x, Tensor y, int epochs, bool randomLabels)
    {
        if (randomLabels) y = randint(0, 10, [y.shape[0]], generator: new Generator(3)).to(ScalarType.Float32);
        Sequential Create()
        {
            Backend.SetRandomSeed(0);
            var model = new Sequential(new Dense(512, activation: "relu", inputShape: [784]), new Dropout(0.2), new Dense(10));
            model.Compile("adam", new SparseCategoricalCrossentropy(fromLogits: true));
            return model;
        }
        var flushed = Create();
        var kept = Create();
        var times = new Dictionary<bool, List<double>> { [true] = [], [false] = [] };
        for (int epoch = 0; epoch < epochs; epoch++)
            foreach (var (flush, model) in new[] { (true, flushed), (false, kept) })
            {
                Backend.FlushDenormals = flush;
                var watch = Stopwatch.StartNew();
                model.Fit(x, y, epochs: 1, verbose: 0);
                times[flush].Add(watch.Elapsed.TotalMilliseconds);
            }
        Backend.FlushDenormals = true;
        foreach (var flush in new[] { true, false })
        {
            var t = times[flush].Skip(1).ToList();   // epoch 1 warms up
            Console.WriteLine($"{(flush ? "denormals flushed (default)" : "IEEE denormals kept        ")}: epochs 2-{epochs} {t.Min():F0}-{t.Max():F0} ms, " +
                              $"max/min {t.Max() / t.Min():F2}  [{string.Join(", ", times[flush].Select(v => v.ToString("F0")))}]");
        }
    }
}
