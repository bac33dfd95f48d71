using System.Diagnostics;
using Layerwise.Layers;
using Layerwise.Models;
using static TorchSharp.torch;

namespace Layerwise.Conformance;

/// <summary>
/// What turning oneDNN off costs: one Fit epoch of a small CNN (Conv2D 32 and 64, pooling, Dense; 2,000
/// 28x28x1 images, batch 32, 1 torch thread) with oneDNN off and on, alternated rounds, medians.
/// </summary>
static class OneDnnCost
{
    public static int Run(int rounds)
    {
        set_num_threads(1);
        Backend.SetRandomSeed(1);
        var x = rand(2000, 28, 28, 1);
        var y = randint(0, 10, [2000]).to(ScalarType.Float32);
        var model = new Sequential(new Conv2D(32, [3, 3], activation: "relu", inputShape: [28, 28, 1]), new MaxPooling2D([2, 2]),
                                   new Conv2D(64, [3, 3], activation: "relu"), new MaxPooling2D([2, 2]), new Flatten(), new Dense(10));
        model.Compile("adam", "sparse_categorical_crossentropy");
        var times = new Dictionary<bool, List<double>> { [false] = [], [true] = [] };
        for (int round = 0; round <= rounds; round++)
            foreach (bool on in new[] { false, true })
            {
                Backend.OneDnnEnabled = on;
                var watch = Stopwatch.StartNew();
                model.Fit(x, y, epochs: 1, verbose: 0);
                if (round > 0) times[on].Add(watch.Elapsed.TotalMilliseconds);   // round 0 warms up
            }
        Backend.OneDnnEnabled = false;
        double Median(List<double> t) => t.Order().ElementAt(t.Count / 2);
        double off = Median(times[false]), onMs = Median(times[true]);
        Console.WriteLine($"CNN epoch, 2000 images: oneDNN off {off:0} ms, on {onMs:0} ms, off/on {off / onMs:0.00}x ({rounds} rounds, medians)");
        return 0;
    }
}
