// Save and load throughput of a TensorFlow checkpoint of ~400 MB of float32 weights, as a ratio to a
// plain FileStream writing / reading the same bytes in the same process (target >= 0.8), and the
// load's peak memory above what the model already holds, relative to the weights' size.
//
//   dotnet run -c Release --project bench/CheckpointBench -- 400 8     # MB of weights, rounds
//   dotnet run -c Release --project bench/CheckpointBench -- 400 8 inline-delete
//
// Both sides flush to disk (SaveWeights fsyncs its files; the baseline calls Flush(true)), and both
// read files the previous step just wrote (page cache warm), alternating, medians reported.
using System.Diagnostics;
using Layerwise;
using Layerwise.Formats.Checkpoint;
using Layerwise.Layers;
using Layerwise.Models;
using TorchSharp;
using static TorchSharp.torch;

int megabytes = args.Length > 0 ? int.Parse(args[0]) : 400;
int rounds = args.Length > 1 ? int.Parse(args[1]) : 5;
// "inline-delete": delete the replaced data file inside SaveWeights, as before the background deletion (for comparison).
bool inlineDelete = args.Length > 2 && args[2] == "inline-delete";
if (inlineDelete) BundleFiles.DeferDeletionFromBytes = long.MaxValue;
torch.set_num_threads(1);
Backend.SetRandomSeed(1);

// Square Dense layers of width w: layers * (w*w + w) floats ~ megabytes.
const int layers = 4;
int width = (int)Math.Sqrt(megabytes * 1024.0 * 1024 / 4 / layers);
var model = new Sequential([new Dense(width, inputShape: [width]), .. Enumerable.Range(1, layers - 1).Select(_ => (Layer)new Dense(width))]);
model.EnsureBuilt([width]);
long bytes = model.CountParams() * 4;
Console.WriteLine($"weights: {model.Weights.Count} tensors, {bytes / 1e6:F1} MB (width {width}); rounds: {rounds}; " +
                  $"GLIBC_TUNABLES={Environment.GetEnvironmentVariable("GLIBC_TUNABLES") ?? "(unset; runtime raises malloc thresholds)"}; " +
                  $"replaced data file deleted {(inlineDelete ? "inside SaveWeights" : "in the background")}");

var dir = Path.Combine(Path.GetTempPath(), "layerwise-bench-" + Environment.ProcessId);
Directory.CreateDirectory(dir);
var prefix = Path.Combine(dir, "cp");
var plain = Path.Combine(dir, "plain.bin");
var fresh = new Sequential([new Dense(width, inputShape: [width]), .. Enumerable.Range(1, layers - 1).Select(_ => (Layer)new Dense(width))]);
fresh.EnsureBuilt([width]);

var times = new Dictionary<string, List<double>> { ["plain write"] = [], ["SaveWeights"] = [], ["plain read"] = [], ["LoadWeights"] = [] };
var deletions = new List<double>();
var peaks = new List<double>();
try
{
    // One untimed warm-up of every operation, as BenchmarkDotNet would do: the first calls pay for
    // JIT compilation and the thread pool's start-up (~40 ms on LoadWeights' first call), which
    // is not what the ratio is about. Both sides get it.
    PlainWrite(model, plain);
    model.SaveWeights(prefix);
    DeferredDeletion.WaitForPending();
    PlainRead(fresh, plain);
    fresh.LoadWeights(prefix);
    for (int round = 0; round < rounds; round++)
    {
        // Alternate which write goes first: the second one pays for the first one's freed blocks
        // and journal commit on this VM's disk (+100 to 300 ms either way).
        if (round % 2 == 0)
        {
            times["plain write"].Add(Time(() => PlainWrite(model, plain)));
            Save();
        }
        else
        {
            Save();
            times["plain write"].Add(Time(() => PlainWrite(model, plain)));
        }
        // The reads alternate which goes first too, so that neither always follows the same operation.
        if (round % 2 == 0) times["plain read"].Add(Time(() => PlainRead(fresh, plain)));
        GC.Collect();
        // Peak memory from the kernel's high-water mark (reset just before), not from a sampling
        // thread: a sampler running during LoadWeights only would take one of the two cores from
        // it and not from the plain read it is compared with.
        long before = ResetPeakResidentBytes();
        times["LoadWeights"].Add(Time(() => fresh.LoadWeights(prefix)));
        peaks.Add((double)(PeakResidentBytes() - before) / bytes);
        if (round % 2 == 1) times["plain read"].Add(Time(() => PlainRead(fresh, plain)));
        Console.WriteLine($"round {round + 1}: " + string.Join(", ", times.Select(kv => $"{kv.Key} {kv.Value[^1]:F0} ms")) +
                          $", background deletion {deletions[^1]:F0} ms, load peak +{peaks[^1]:F2}x weights");
    }
}
finally
{
    Directory.Delete(dir, recursive: true);
}

// SaveWeights returns once the new checkpoint is committed; the previous data file is deleted in
// the background. That deletion is waited for here, untimed but reported, so that it does not run
// into the next timed operation (it would slow whichever side comes next).
void Save()
{
    times["SaveWeights"].Add(Time(() => model.SaveWeights(prefix)));
    deletions.Add(Time(DeferredDeletion.WaitForPending));
}

double Median(List<double> values) { var s = values.Order().ToList(); return s[s.Count / 2]; }
double mb = bytes / 1e6;
Console.WriteLine();
Console.WriteLine("| operation | median ms | MB/s | ratio to plain FileStream |");
Console.WriteLine("| --- | --- | --- | --- |");
foreach (var (ours, baseline) in new[] { ("SaveWeights", "plain write"), ("LoadWeights", "plain read") })
{
    Console.WriteLine($"| {baseline} | {Median(times[baseline]):F0} | {mb / Median(times[baseline]) * 1000:F0} | |");
    Console.WriteLine($"| {ours} | {Median(times[ours]):F0} | {mb / Median(times[ours]) * 1000:F0} | {Median(times[baseline]) / Median(times[ours]):F2} |");
}
Console.WriteLine($"after SaveWeights returned, the background deletion of the replaced data file took {Median(deletions):F0} ms more (median, untimed)");
Console.WriteLine($"load peak memory above the model: {Median(peaks):F2}x the weights' size (median)");

// Linux: writing 5 to clear_refs resets VmHWM (peak resident set) to the current VmRSS.
static long ResetPeakResidentBytes()
{
    File.WriteAllText("/proc/self/clear_refs", "5");
    return StatusKilobytes("VmRSS:") * 1024;
}

static long PeakResidentBytes() => StatusKilobytes("VmHWM:") * 1024;

static long StatusKilobytes(string field)
{
    var line = File.ReadLines("/proc/self/status").First(l => l.StartsWith(field, StringComparison.Ordinal));
    return long.Parse(line[field.Length..].Trim().Split(' ')[0]);
}

static double Time(Action action)
{
    var watch = Stopwatch.StartNew();
    action();
    return watch.Elapsed.TotalMilliseconds;
}

// The baseline: the same bytes through one FileStream, flushed to disk.
static void PlainWrite(Model model, string path)
{
    using var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20);
    foreach (var w in model.Weights)
    {
        using var flat = w.Value.detach().reshape(-1);
        long count = flat.numel(), chunk = 2 << 20;
        for (long start = 0; start < count; start += chunk)
        {
            using var piece = flat.narrow(0, start, Math.Min(chunk, count - start));
            stream.Write(piece.bytes);
        }
    }
    stream.Flush(flushToDisk: true);
}

// The baseline: read the bytes straight into the model's existing weights (no checks, no staging).
static void PlainRead(Model model, string path)
{
    using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20);
    using var _ = no_grad();
    foreach (var w in model.Weights)
    {
        using var flat = w.Value.detach().reshape(-1);
        long count = flat.numel(), chunk = 2 << 20;
        for (long start = 0; start < count; start += chunk)
        {
            using var piece = flat.narrow(0, start, Math.Min(chunk, count - start));
            stream.ReadExactly(piece.bytes);
        }
    }
}
