// Runs on the GPU machine (bench/gpu/run.sh): the tutorial training on CUDA and on CPU, a checkpoint
// written from CUDA and loaded on CPU, and one-epoch training timings; writes a JSON report.
// Usage: GpuProbe <output-dir> [device=cuda] [bench-samples=10000] [bench-epochs=3] [tutorial|large]
// "large" instead times a wider MLP at batch 256 and a ~420 MB checkpoint (report_large.json);
// "layers" checks the recurrent, convolution, normalization and functional models (report_layers.json).
using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using Layerwise;
using Layerwise.Data;
using Layerwise.Layers;
using Layerwise.Models;
using Layerwise.Training.Losses;
using Layerwise.Training.Metrics;
using TorchSharp;

var outDir = args.Length > 0 ? args[0] : ".";
var deviceName = args.Length > 1 ? args[1] : "cuda";
int benchSamples = args.Length > 2 ? int.Parse(args[2]) : 10000;
int benchEpochs = args.Length > 3 ? int.Parse(args[3]) : 3;
var mode = args.Length > 4 ? args[4] : "tutorial";
Directory.CreateDirectory(outDir);
var report = new JsonObject { ["started"] = DateTime.UtcNow.ToString("O") };
void Save() => File.WriteAllText(Path.Combine(outDir, mode == "tutorial" ? "report.json" : $"report_{mode}.json"), report.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
void Step(string name, Func<JsonNode> run)
{
    Console.WriteLine($"== {name}");
    var sw = Stopwatch.StartNew();
    try { report[name] = run(); }
    catch (Exception e) { report[name] = new JsonObject { ["error"] = e.ToString() }; Console.WriteLine(e); }
    Console.WriteLine($"   {sw.Elapsed.TotalSeconds:F1}s: {report[name]?.ToJsonString()}");
    Save();
}

string? CudaInitError()
{
    // TorchSharp's own trace of which native libraries it tried, when CUDA does not come up.
    try { torch.InitializeDeviceType(DeviceType.CUDA); return null; }
    catch (Exception e) { return e.Message; }
}

Step("environment", () => new JsonObject
{
    ["cuda_init_error"] = CudaInitError(),
    ["cuda_available"] = torch.cuda.is_available(),
    ["cuda_devices"] = torch.cuda.is_available() ? torch.cuda.device_count() : 0,
    ["torch_threads"] = torch.get_num_threads(),
});
var gpu = Backend.ParseDevice(deviceName);

var data = Mnist.Load();
var (xTrain, yTrain) = Mnist.Preprocess(data.TrainImages, data.TrainLabels, 1000);
var (xTest, yTest) = Mnist.Preprocess(data.TestImages, data.TestLabels, 1000);

if (mode == "layers")
{
    LayerSteps.Run(Step, gpu, outDir);
    CompositionSteps.Run(Step, gpu, outDir);
    report["finished"] = DateTime.UtcNow.ToString("O");
    Save();
    return;
}

if (mode == "large")
{
    LargeSteps.Run(Step, gpu, data, benchSamples, benchEpochs, outDir);
    report["finished"] = DateTime.UtcNow.ToString("O");
    Save();
    return;
}

Sequential CreateModel(torch.Device device)
{
    var model = new Sequential(new Dense(512, activation: "relu", inputShape: [784]), new Dropout(0.2), new Dense(10));
    model.To(device);
    model.Compile("adam", new SparseCategoricalCrossentropy(fromLogits: true), [new SparseCategoricalAccuracy()]);
    return model;
}

JsonNode Tutorial(torch.Device device)
{
    Backend.SetRandomSeed(42);
    var model = CreateModel(device);
    var sw = Stopwatch.StartNew();
    var history = model.Fit(xTrain, yTrain, epochs: 10, validationData: (xTest, yTest), verbose: 2);
    double seconds = sw.Elapsed.TotalSeconds;
    return new JsonObject
    {
        ["device"] = device.ToString(),
        ["seconds_10_epochs"] = seconds,
        ["final_loss"] = history["loss"][^1],
        ["final_val_accuracy"] = history["val_sparse_categorical_accuracy"][^1],
        ["weights_on_device"] = model.Weights.All(w => w.Value.device_type == device.type),
    };
}

Step("tutorial_cuda", () => Tutorial(gpu));
Step("tutorial_cpu", () => Tutorial(torch.CPU));

static bool SameBytes(string a, string b) => File.ReadAllBytes(a).AsSpan().SequenceEqual(File.ReadAllBytes(b));

static bool SameWeights(Model a, Model b) =>
    a.Weights.Zip(b.Weights, (x, y) => x.ToCpu().equal(y.ToCpu()).all().item<bool>()).All(same => same);

Step("checkpoint_cpu_to_cuda", () =>
{
    // The other direction: a checkpoint written on CPU (with Adam's slots) loads into a model on
    // CUDA. Then the same state written from an uncompiled CUDA model and an uncompiled CPU model
    // gives the same bytes (issue 7: "saving from CUDA writes the same files as from CPU").
    Backend.SetRandomSeed(11);
    var onCpu = CreateModel(torch.CPU);
    onCpu.Fit(xTrain, yTrain, epochs: 1, verbose: 0);
    var cpuPrefix = Path.Combine(outDir, "ckpt_cpu", "cp.ckpt");
    onCpu.SaveWeights(cpuPrefix);
    var onGpu = CreateModel(gpu);
    onGpu.LoadWeights(cpuPrefix);
    using var expected = onCpu.Predict(xTest);
    using var actual = onGpu.Predict(xTest);

    Sequential Uncompiled(torch.Device device)
    {
        Backend.ClearSession(); // same layer names in both: TF's object graph records them
        var model = new Sequential(new Dense(512, activation: "relu", inputShape: [784]), new Dropout(0.2), new Dense(10));
        model.To(device);
        model.LoadWeights(cpuPrefix);
        return model;
    }
    var fromCpu = Path.Combine(outDir, "ckpt_resaved_cpu", "cp.ckpt");
    var fromGpu = Path.Combine(outDir, "ckpt_resaved_cuda", "cp.ckpt");
    Uncompiled(torch.CPU).SaveWeights(fromCpu);
    Uncompiled(gpu).SaveWeights(fromGpu);
    return new JsonObject
    {
        ["weights_on_cuda"] = onGpu.Weights.All(w => w.Value.device_type == DeviceType.CUDA),
        ["weights_bit_identical"] = SameWeights(onCpu, onGpu),
        ["max_abs_prediction_diff"] = (expected.cpu() - actual.cpu()).abs().max().item<float>(),
        ["resaved_data_file_bytes_identical"] = SameBytes(fromCpu + ".data-00000-of-00001", fromGpu + ".data-00000-of-00001"),
        ["resaved_index_file_bytes_identical"] = SameBytes(fromCpu + ".index", fromGpu + ".index"),
    };
});

foreach (var extension in new[] { "keras", "h5" })
{
    Step($"whole_model_{extension}_cuda_to_cpu", () =>
    {
        // A whole model with its optimizer state, saved from CUDA and loaded on CPU (the default
        // device here); one more epoch on each continues identically up to CUDA/CPU rounding.
        Backend.SetRandomSeed(5);
        var onGpu = CreateModel(gpu);
        onGpu.Fit(xTrain, yTrain, epochs: 2, verbose: 0);
        var path = Path.Combine(outDir, "whole", "model." + extension);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        onGpu.Save(path);
        var onCpu = Model.Load(path);
        using var expected = onGpu.Predict(xTest);
        using var actual = onCpu.Predict(xTest);
        bool weightsIdentical = SameWeights(onGpu, onCpu);
        double diff = (expected.cpu() - actual.cpu()).abs().max().item<float>();
        var (gpuLoss, gpuAccuracy) = onGpu.Evaluate(xTest, yTest, verbose: 0);
        var (cpuLoss, cpuAccuracy) = onCpu.Evaluate(xTest, yTest, verbose: 0);
        return new JsonObject
        {
            ["loaded_on"] = onCpu.Weights[0].Value.device.ToString(),
            ["weights_bit_identical"] = weightsIdentical,
            ["max_abs_prediction_diff"] = diff,
            ["evaluate_cuda"] = new JsonArray(gpuLoss, gpuAccuracy),
            ["evaluate_cpu_loaded"] = new JsonArray(cpuLoss, cpuAccuracy),
            ["bytes"] = new FileInfo(path).Length,
        };
    });
}

Step("checkpoint_cuda_to_cpu", () =>
{
    Backend.SetRandomSeed(7);
    var onGpu = CreateModel(gpu);
    onGpu.Fit(xTrain, yTrain, epochs: 2, verbose: 0);
    var prefix = Path.Combine(outDir, "ckpt", "cp.ckpt");
    onGpu.SaveWeights(prefix);
    var onCpu = CreateModel(torch.CPU);
    onCpu.LoadWeights(prefix);
    using var expected = onGpu.Predict(xTest);
    using var actual = onCpu.Predict(xTest);
    var gpuWeights = onGpu.Weights.Select(w => w.ToCpu()).ToList();
    bool weightsIdentical = gpuWeights.Zip(onCpu.Weights, (a, b) => a.equal(b.ToCpu()).all().item<bool>()).All(x => x);
    return new JsonObject
    {
        ["weights_bit_identical"] = weightsIdentical,
        ["max_abs_prediction_diff"] = (expected - actual).abs().max().item<float>(),
        ["files"] = new JsonArray(Directory.GetFiles(Path.GetDirectoryName(prefix)!).Select(f => (JsonNode)Path.GetFileName(f)).ToArray()),
    };
});

JsonNode Bench(torch.Device device)
{
    var (x, y) = Mnist.Preprocess(data.TrainImages, data.TrainLabels, benchSamples);
    Backend.SetRandomSeed(0);
    var model = CreateModel(device);
    model.Fit(x, y, epochs: 1, verbose: 0); // warm-up
    var times = new JsonArray();
    for (int e = 0; e < benchEpochs; e++)
    {
        if (device.type == DeviceType.CUDA) torch.cuda.synchronize();
        var sw = Stopwatch.StartNew();
        model.Fit(x, y, epochs: 1, verbose: 0);
        if (device.type == DeviceType.CUDA) torch.cuda.synchronize();
        times.Add(sw.Elapsed.TotalMilliseconds);
    }
    return new JsonObject { ["device"] = device.ToString(), ["samples"] = benchSamples, ["ms_per_epoch"] = times };
}

Step("bench_cuda", () => Bench(gpu));
Step("bench_cpu", () => Bench(torch.CPU));
report["finished"] = DateTime.UtcNow.ToString("O");
Save();
