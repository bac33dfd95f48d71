// The "large" mode of the probe: where the GPU should pay off. A wider MLP (784-2048-2048-10) at
// batch 256, one-epoch Fit on CUDA and CPU; and SaveWeights/LoadWeights of a ~420 MB checkpoint from
// CUDA memory and from CPU memory (the bench/CheckpointBench model: four Dense(5120)).
using System.Diagnostics;
using System.Text.Json.Nodes;
using Layerwise;
using Layerwise.Data;
using Layerwise.Layers;
using Layerwise.Models;
using Layerwise.Training.Losses;
using Layerwise.Training.Metrics;
using TorchSharp;

static class LargeSteps
{
    public static void Run(Action<string, Func<JsonNode>> step, torch.Device gpu, MnistData data, int samples, int epochs, string outDir)
    {
        step("bench_wide_batch256_cuda", () => WideBench(gpu, data, samples, epochs));
        step("bench_wide_batch256_cpu", () => WideBench(torch.CPU, data, samples, epochs));
        step("checkpoint_420mb_cuda", () => CheckpointTimes(gpu, outDir));
        step("checkpoint_420mb_cpu", () => CheckpointTimes(torch.CPU, outDir));
    }

    static void Sync(torch.Device device)
    {
        if (device.type == DeviceType.CUDA) torch.cuda.synchronize();
    }

    static JsonNode WideBench(torch.Device device, MnistData data, int samples, int epochs)
    {
        var (x, y) = Mnist.Preprocess(data.TrainImages, data.TrainLabels, samples);
        Backend.SetRandomSeed(0);
        var model = new Sequential(new Dense(2048, activation: "relu", inputShape: [784]), new Dense(2048, activation: "relu"), new Dense(10));
        model.To(device);
        model.Compile("adam", new SparseCategoricalCrossentropy(fromLogits: true), [new SparseCategoricalAccuracy()]);
        model.Fit(x, y, batchSize: 256, epochs: 1, verbose: 0); // warm-up
        var times = new JsonArray();
        for (int e = 0; e < epochs; e++)
        {
            Sync(device);
            var watch = Stopwatch.StartNew();
            model.Fit(x, y, batchSize: 256, epochs: 1, verbose: 0);
            Sync(device);
            times.Add(watch.Elapsed.TotalMilliseconds);
        }
        return new JsonObject { ["device"] = device.ToString(), ["samples"] = samples, ["batch"] = 256, ["ms_per_epoch"] = times };
    }

    static JsonNode CheckpointTimes(torch.Device device, string outDir)
    {
        Sequential Create()
        {
            var model = new Sequential([new Dense(5120, inputShape: [5120]), new Dense(5120), new Dense(5120), new Dense(5120)]);
            model.To(device);
            model.EnsureBuilt([5120]);
            return model;
        }
        Backend.SetRandomSeed(3);
        var source = Create();
        var target = Create();
        var prefix = Path.Combine(outDir, "ckpt_large_" + device.type, "cp.ckpt");
        var saves = new JsonArray();
        var loads = new JsonArray();
        for (int round = 0; round < 3; round++)
        {
            Sync(device);
            var watch = Stopwatch.StartNew();
            source.SaveWeights(prefix);
            saves.Add(watch.Elapsed.TotalMilliseconds);
            watch.Restart();
            target.LoadWeights(prefix);
            Sync(device);
            loads.Add(watch.Elapsed.TotalMilliseconds);
        }
        bool identical = source.Weights.Zip(target.Weights, (a, b) => a.Value.equal(b.Value).all().item<bool>()).All(same => same);
        long bytes = new FileInfo(prefix + ".data-00000-of-00001").Length;
        Directory.Delete(Path.GetDirectoryName(prefix)!, recursive: true);
        return new JsonObject { ["device"] = device.ToString(), ["data_bytes"] = bytes, ["save_ms"] = saves, ["load_ms"] = loads, ["round_trip_identical"] = identical };
    }
}
