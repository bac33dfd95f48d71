// Part of the probe's "layers" mode: the model compositions merged last (not yet run on a GPU when
// written): a frozen nested base model, and a two-input two-output functional model trained with
// per-output losses and loss weights. Same checks as LayerSteps: same weights give the same outputs on
// CUDA and CPU, Fit on CUDA keeps the weights there, a .keras saved from CUDA loads on CPU bit-identical.
using System.Text.Json.Nodes;
using Layerwise;
using Layerwise.Layers;
using Layerwise.Models;
using Layerwise.Training.Losses;
using Layerwise.Training.Optimizers;
using TorchSharp;
using static TorchSharp.torch;

static class CompositionSteps
{
    public static void Run(Action<string, Func<JsonNode>> step, Device gpu, string outDir)
    {
        step("layers_nested_frozen_base", () => NestedFrozenBase(gpu, outDir));
        step("layers_two_inputs_two_outputs", () => TwoInputsTwoOutputs(gpu, outDir));
    }

    static bool AllOn(Model model, DeviceType type) => model.Weights.All(w => w.Value.device_type == type);

    static bool SameWeights(Model a, Model b) =>
        a.Weights.Count == b.Weights.Count &&
        a.Weights.Zip(b.Weights, (x, y) => x.ToCpu().equal(y.ToCpu()).all().item<bool>()).All(same => same);

    static double MaxDiff(Tensor a, Tensor b) => (a.cpu() - b.cpu()).abs().max().item<float>();

    static JsonNode NestedFrozenBase(Device gpu, string outDir)
    {
        Backend.SetRandomSeed(31);
        var x = rand([256, 10]);
        var y = randint(0, 3, [256], ScalarType.Int64);
        var dir = Path.Combine(outDir, "layers_nested");
        Directory.CreateDirectory(dir);
        Sequential Create(Device device)
        {
            var baseModel = new Sequential(new Dense(16, activation: "relu", inputShape: [10]), new BatchNormalization()) { Trainable = false };
            var model = new Sequential(baseModel, new Dense(3));
            model.To(device);
            model.Compile("adam", new SparseCategoricalCrossentropy(fromLogits: true));
            return model;
        }
        var onCpu = Create(CPU);
        onCpu.SaveWeights(Path.Combine(dir, "start.ckpt"));
        var onGpu = Create(gpu);
        onGpu.LoadWeights(Path.Combine(dir, "start.ckpt"));
        double diff = MaxDiff(onCpu.Predict(x), onGpu.Predict(x));
        var frozenBefore = onGpu.NonTrainableWeights.Select(w => w.ToCpu()).ToList();
        onGpu.Fit(x, y, epochs: 2, verbose: 0);
        bool frozenUnchanged = onGpu.NonTrainableWeights.Zip(frozenBefore, (w, b) => w.ToCpu().equal(b).all().item<bool>()).All(same => same);
        var path = Path.Combine(dir, "model.keras");
        onGpu.Save(path);
        var loaded = Model.Load(path);
        return new JsonObject
        {
            ["same_weights_max_abs_prediction_diff_cuda_vs_cpu"] = diff,
            ["non_trainable_weights"] = frozenBefore.Count,
            ["frozen_base_unchanged_by_fit"] = frozenUnchanged,
            ["all_weights_on_cuda_after_fit"] = AllOn(onGpu, DeviceType.CUDA),
            ["keras_from_cuda_weights_bit_identical_on_cpu"] = SameWeights(onGpu, loaded),
            ["keras_from_cuda_max_abs_prediction_diff"] = MaxDiff(onGpu.Predict(x), loaded.Predict(x)),
        };
    }

    static JsonNode TwoInputsTwoOutputs(Device gpu, string outDir)
    {
        Backend.SetRandomSeed(32);
        var xa = rand([256, 8]);
        var xb = rand([256, 4]);
        var yClass = randint(0, 3, [256], ScalarType.Int64);
        var yValue = rand([256, 1]);
        var dir = Path.Combine(outDir, "layers_multi");
        Directory.CreateDirectory(dir);
        Functional Create(Device device)
        {
            var a = Keras.Input(shape: [8], name: "a");
            var b = Keras.Input(shape: [4], name: "b");
            var joined = new Concatenate().Call(new Dense(16, activation: "relu").Call(a), b);
            var model = new Functional([a, b], [new Dense(3, name: "cls").Call(joined), new Dense(1, name: "reg").Call(joined)]);
            model.To(device);
            model.Compile(new Adam(), [new SparseCategoricalCrossentropy(fromLogits: true), new MeanSquaredError()], lossWeights: [1.0, 0.5]);
            return model;
        }
        var onCpu = Create(CPU);
        onCpu.SaveWeights(Path.Combine(dir, "start.ckpt"));
        var onGpu = Create(gpu);
        onGpu.LoadWeights(Path.Combine(dir, "start.ckpt"));
        var cpuOut = onCpu.Predict([xa, xb]);
        var gpuOut = onGpu.Predict([xa, xb]);
        double diff = cpuOut.Zip(gpuOut, MaxDiff).Max();
        var history = onGpu.Fit([xa, xb], [yClass, yValue], epochs: 2, verbose: 0);
        var path = Path.Combine(dir, "model.keras");
        onGpu.Save(path);
        var loaded = (Functional)Model.Load(path);
        double loadedDiff = onGpu.Predict([xa, xb]).Zip(loaded.Predict([xa, xb]), MaxDiff).Max();
        return new JsonObject
        {
            ["same_weights_max_abs_prediction_diff_cuda_vs_cpu"] = diff,
            ["fit_loss"] = new JsonArray(history["loss"].Select(v => (JsonNode)v).ToArray()),
            ["fit_cls_loss"] = new JsonArray(history["cls_loss"].Select(v => (JsonNode)v).ToArray()),
            ["fit_reg_loss"] = new JsonArray(history["reg_loss"].Select(v => (JsonNode)v).ToArray()),
            ["all_weights_on_cuda_after_fit"] = AllOn(onGpu, DeviceType.CUDA),
            ["keras_from_cuda_weights_bit_identical_on_cpu"] = SameWeights(onGpu, loaded),
            ["keras_from_cuda_max_abs_prediction_diff"] = loadedDiff,
        };
    }
}
