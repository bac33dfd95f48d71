// One epoch of the tutorial model (784-512-10 MLP, Adam, batch 32) through Layerwise's Fit versus a
// hand-written TorchSharp loop doing the same work, in the same process, alternating, several rounds.
// Usage: dotnet run -c Release --project bench/TrainingBench [-- samples rounds threads]
//        dotnet run -c Release --project bench/TrainingBench -- series EPOCHS [random]   (per-epoch times, denormals flushed vs kept)
//        dotnet run -c Release --project bench/TrainingBench -- predict [rounds]   (Predict latency at batch 1 and 256 vs raw TorchSharp; default 41 rounds)
//        dotnet run -c Release --project bench/TrainingBench -- predict-profile [rounds]   (per-call breakdown of a batch-1 Predict)
//        dotnet run -c Release --project bench/TrainingBench -- predict-dump FILE   (Predict outputs of a model zoo as bytes, to compare builds)
using System.Diagnostics;
using Layerwise;
using Layerwise.Bench;
using Layerwise.Data;
using Layerwise.Layers;
using Layerwise.Models;
using Layerwise.Training.Losses;
using Layerwise.Training.Metrics;
using TorchSharp;

if (args.Length >= 2 && args[0] == "series")
{
    torch.set_num_threads(1);
    var mnist = Mnist.Load();
    var (sx, sy) = Mnist.Preprocess(mnist.TrainImages, mnist.TrainLabels, 10000);
    EpochSeries.Run(sx, sy, int.Parse(args[1]), args.Length > 2 && args[2] == "random");
    return;
}

if (args.Length >= 2 && args[0] == "predict-dump")
{
    torch.set_num_threads(1);
    PredictDump.Run(args[1]);
    return;
}

if (args.Length >= 1 && args[0] == "predict-profile")
{
    torch.set_num_threads(1);
    PredictProfile.Run(args.Length > 1 ? int.Parse(args[1]) : 41);
    return;
}

if (args.Length >= 1 && args[0] == "predict")
{
    torch.set_num_threads(1);
    PredictLatency.Run(args.Length > 1 ? int.Parse(args[1]) : 41);
    return;
}

int samples = args.Length > 0 ? int.Parse(args[0]) : 10000;
int rounds = args.Length > 1 ? int.Parse(args[1]) : 7;
int threads = args.Length > 2 ? int.Parse(args[2]) : 1;
torch.set_num_threads(threads);
Backend.SetRandomSeed(0);

var data = Mnist.Load();
var (x, y) = Mnist.Preprocess(data.TrainImages, data.TrainLabels, samples);

var layerwise = new Sequential(new Dense(512, activation: "relu", inputShape: [784]), new Dropout(0.2), new Dense(10));
layerwise.Compile("adam", new SparseCategoricalCrossentropy(fromLogits: true), [new SparseCategoricalAccuracy()]);
var baseline = new HandWrittenLoop(x, y);

double TimeFit() { var sw = Stopwatch.StartNew(); layerwise.Fit(x, y, epochs: 1, verbose: 0); return sw.Elapsed.TotalMilliseconds; }
double TimeBaseline() { var sw = Stopwatch.StartNew(); baseline.RunEpoch(); return sw.Elapsed.TotalMilliseconds; }

TimeFit(); TimeBaseline();   // warm-up: first-epoch allocations, JIT
var fit = new List<double>();
var hand = new List<double>();
for (int r = 0; r < rounds; r++)
{
    if (r % 2 == 0) { fit.Add(TimeFit()); hand.Add(TimeBaseline()); }
    else { hand.Add(TimeBaseline()); fit.Add(TimeFit()); }
}

double Median(List<double> v) { var s = v.Order().ToList(); return s[s.Count / 2]; }
var malloc = Environment.GetEnvironmentVariable("GLIBC_TUNABLES") ?? "(unset; Layerwise raised malloc thresholds via mallopt)";
Console.WriteLine($"samples={samples} batch=32 steps/epoch={(samples + 31) / 32} torch threads={threads} rounds={rounds}");
Console.WriteLine($"GLIBC_TUNABLES={malloc}");
Console.WriteLine($"hand-written TorchSharp loop: median {Median(hand):F1} ms/epoch  [{string.Join(", ", hand.Select(v => v.ToString("F0")))}]");
Console.WriteLine($"Layerwise Fit:                median {Median(fit):F1} ms/epoch  [{string.Join(", ", fit.Select(v => v.ToString("F0")))}]");
Console.WriteLine($"ratio Fit / hand-written: {Median(fit) / Median(hand):F3}");
