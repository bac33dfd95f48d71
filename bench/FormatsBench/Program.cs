// Whole-model .h5 save/load throughput against plain file I/O of the same bytes, in the same run.
//   dotnet run -c Release --project bench/FormatsBench -- [megabytes=400] [rounds=5] [directory=temp]
// LoadWeights(".h5") and Save(".h5") against h5py (H5PyComparison.cs, h5py_baseline.py):
//   dotnet run -c Release --project bench/FormatsBench -- h5py [megabytes=400] [rounds=5] [directory=temp]
// Save(".h5") alone, each round's time printed (to run under strace or perf and see where a save's time goes):
//   dotnet run -c Release --project bench/FormatsBench -- save [megabytes=400] [rounds=5] [directory=temp]
// Baseline: every weight's bytes written to one file with FileStream (flushed to disk, as the save is),
// then read back into the existing tensors. Layerwise: Model.Save("m.h5") (write beside, flush,
// rename) and Model.Load("m.h5") (parse config, build the model, read and check every weight,
// compile). Medians of alternating rounds; throughput = weight bytes / time. Then one raw read and one
// Load, each in a fresh child process: their times include JIT and first-touch page faults of fresh
// memory (which the rounds, reusing freed memory, hide); their VmHWM growth is the peak memory they add.
// FORMATSBENCH_TRAINED=1: one Adam step first, so that the .h5 also holds the m and v slots (3x the
// weights' bytes; the raw baseline still moves the weights only).
using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using Layerwise;
using Layerwise.Layers;
using Layerwise.Models;
using TorchSharp;
using static Measure;
using static TorchSharp.torch;

if (args.Length > 0 && args[0] == "h5py")
{
    H5PyComparison.Run(args[1..]);
    return;
}
if (args.Length > 0 && args[0] == "save")
{
    H5PyComparison.SaveOnly(args[1..]);
    return;
}
if (args.Length == 3 && args[0] == "--loadweights-once")
{
    H5PyComparison.LoadWeightsOnce(args[1], int.Parse(args[2], CultureInfo.InvariantCulture));
    return;
}
if (args.Length == 2 && args[0] is "--load-once" or "--read-once")
{
    OnceInThisProcess(args[0], args[1]);
    return;
}

int megabytes = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 400;
int rounds = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 5;
var directory = args.Length > 2 ? args[2] : Path.Combine(Path.GetTempPath(), "layerwise-formats-bench");
Directory.CreateDirectory(directory);
torch.set_num_threads(1);
Backend.SetRandomSeed(1);

// Square Dense layers of 2048 x 2048 floats (16 MB each) until the requested size is reached.
const int width = 2048;
int layers = Math.Max(1, (int)Math.Round(megabytes * 1024.0 * 1024.0 / (4.0 * width * (width + 1))));
var model = new Sequential([new Dense(width, inputShape: [width]), .. Enumerable.Range(1, layers - 1).Select(_ => (Layer)new Dense(width))]);
model.Compile("adam", "mse");
model.EnsureBuilt([width]);
bool trained = Environment.GetEnvironmentVariable("FORMATSBENCH_TRAINED") == "1";
if (trained) model.Fit(ones(8, width), ones(8, width), batchSize: 8, epochs: 1, verbose: 0);
long bytes = model.Weights.Sum(w => w.NumElements) * 4;
Console.WriteLine($"model: {layers} Dense({width}) layers, {bytes / 1e6:F1} MB of float32 weights{(trained ? " + Adam's m and v slots (trained one step)" : "")}; {rounds} rounds; files in {directory}");
Console.WriteLine($"GLIBC_TUNABLES={Environment.GetEnvironmentVariable("GLIBC_TUNABLES") ?? "(unset: the runtime raises malloc's thresholds itself)"}");

var rawPath = Path.Combine(directory, "weights.raw");
var h5Path = Path.Combine(directory, "model.h5");
var timings = new Dictionary<string, List<double>> { ["raw write"] = [], ["raw read"] = [], ["h5 save"] = [], ["h5 load"] = [] };
for (int round = 0; round < rounds; round++)
{
    timings["raw write"].Add(Time(() => RawWrite(model, rawPath)));
    timings["h5 save"].Add(Time(() => model.Save(h5Path)));
    timings["raw read"].Add(Time(() => RawRead(model, rawPath)));
    Model? loaded = null;
    timings["h5 load"].Add(Time(() => loaded = Model.Load(h5Path)));
    if (round == 0) Check(model, loaded!);
    loaded = null;
    GC.Collect();
}

Console.WriteLine();
Console.WriteLine("| operation | median (ms) | MB/s | ratio to plain I/O |");
Console.WriteLine("| --- | --- | --- | --- |");
foreach (var (name, baseline) in new[] { ("raw write", "raw write"), ("h5 save", "raw write"), ("raw read", "raw read"), ("h5 load", "raw read") })
{
    double median = Median(timings[name]);
    Console.WriteLine($"| {name} | {median:F0} | {bytes / 1e6 / (median / 1000):F0} | {median / Median(timings[baseline]):F2} |");
}
Console.WriteLine();
var (readMs, readKb) = InFreshProcess("--read-once", rawPath);
var (loadMs, loadKb) = InFreshProcess("--load-once", h5Path);
Console.WriteLine("once, in a fresh process (JIT and first-touch page faults included):");
Console.WriteLine($"| raw read into fresh tensors | {readMs:F0} ms | peak memory added {readKb / 1024:F0} MiB = {readKb * 1024 / bytes:F2} x the weights |");
Console.WriteLine($"| Load(\".h5\") | {loadMs:F0} ms ({loadMs / readMs:F2} x) | peak memory added {loadKb / 1024:F0} MiB = {loadKb * 1024 / bytes:F2} x the weights |");
File.Delete(rawPath);
File.Delete(h5Path);

// This program again with --read-once or --load-once, so that nothing is warm or reused: its time and VmHWM growth.
static (double Ms, double PeakKb) InFreshProcess(string mode, string path)
{
    var start = new ProcessStartInfo(Environment.ProcessPath!) { RedirectStandardOutput = true, UseShellExecute = false };
    // under `dotnet FormatsBench.dll` this process is the dotnet host: give it the program again
    if (Path.GetFileNameWithoutExtension(Environment.ProcessPath) == "dotnet") start.ArgumentList.Add(System.Reflection.Assembly.GetEntryAssembly()!.Location);
    start.ArgumentList.Add(mode);
    start.ArgumentList.Add(path);
    using var child = Process.Start(start)!;
    var fields = child.StandardOutput.ReadToEnd().Trim().Split(' ');
    child.WaitForExit();
    return (double.Parse(fields[0], CultureInfo.InvariantCulture), double.Parse(fields[1], CultureInfo.InvariantCulture));
}

// The raw read goes into new 16 MiB tensors (the size of one Dense(2048) kernel) until the file is read.
static void OnceInThisProcess(string mode, string path)
{
    torch.set_num_threads(1);
    long before = StatusKb("VmRSS");
    var watch = Stopwatch.StartNew();
    var kept = new List<object>();
    if (mode == "--load-once")
    {
        kept.Add(Model.Load(path));
    }
    else
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20);
        for (long left = stream.Length; left > 0; left -= 1 << 24)
        {
            var tensor = empty(Math.Min(left, 1 << 24), ScalarType.Byte);
            stream.ReadExactly(tensor.bytes);
            kept.Add(tensor);
        }
    }
    double ms = watch.Elapsed.TotalMilliseconds;
    Console.WriteLine(FormattableString.Invariant($"{ms:F1} {StatusKb("VmHWM") - before} {kept.Count}"));
}

static void RawWrite(Model model, string path)
{
    using var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20);
    foreach (var w in model.Weights)
    {
        using var cpu = w.ToCpu();
        stream.Write(cpu.bytes);
    }
    stream.Flush(flushToDisk: true);
}

static void RawRead(Model model, string path)
{
    using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20);
    foreach (var w in model.Weights)
    {
        using var staging = empty(w.Shape, ScalarType.Float32);
        stream.ReadExactly(staging.bytes);
        w.Assign(staging);
    }
}

static void Check(Model saved, Model loaded)
{
    foreach (var (a, b) in saved.Weights.Zip(loaded.Weights))
    {
        using var x = a.ToCpu();
        using var y = b.ToCpu();
        if (!MemoryMarshal.Cast<byte, float>(x.bytes).SequenceEqual(MemoryMarshal.Cast<byte, float>(y.bytes)))
            throw new InvalidOperationException($"weight {a.Path} differs after the round trip");
    }
}
