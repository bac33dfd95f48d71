// The "layers" mode of the probe: the layers added after the first GPU run (Conv1D, SimpleRNN, LSTM,
// BatchNormalization, functional models with Add/Concatenate) on CUDA. For each model: the same
// weights give the same predictions on CUDA and CPU; Fit on CUDA keeps every weight (and
// BatchNormalization's moving statistics) on the device; a .keras and a .h5 saved from CUDA load on
// CPU with bit-identical weights.
using System.Text.Json.Nodes;
using Layerwise;
using Layerwise.Layers;
using Layerwise.Models;
using Layerwise.Training.Losses;
using Layerwise.Training.Metrics;
using TorchSharp;
using static TorchSharp.torch;

static class LayerSteps
{
    public static void Run(Action<string, Func<JsonNode>> step, Device gpu, string outDir)
    {
        step("layers_conv1d_lstm_rnn", () => Check(gpu, outDir, "seq", () => new Sequential(
            new Conv1D(8, [3], padding: "causal", activation: "relu", inputShape: [20, 4]),
            new LSTM(16, returnSequences: true, dropout: 0.1),
            new SimpleRNN(8),
            new Dense(3)), [20, 4]));
        step("layers_cnn_batchnorm", () => Check(gpu, outDir, "cnn", () => new Sequential(
            new Conv2D(8, [3, 3], inputShape: [12, 12, 1]),
            new BatchNormalization(),
            new ReLU(),
            new MaxPooling2D(),
            new Flatten(),
            new Dense(3)), [12, 12, 1]));
        step("layers_functional_add_concatenate", () => Check(gpu, outDir, "functional", () =>
        {
            var inputs = Keras.Input(shape: [16], name: "features");
            var a = new Dense(16, activation: "relu").Call(inputs);
            var b = new Dense(16).Call(inputs);
            var merged = new Concatenate().Call(new Add().Call(a, b), inputs);
            return new Functional(inputs, new Dense(3).Call(merged));
        }, [16]));
    }

    static bool AllOn(Model model, DeviceType type) => model.Weights.All(w => w.Value.device_type == type);

    static bool SameWeights(Model a, Model b) =>
        a.Weights.Count == b.Weights.Count &&
        a.Weights.Zip(b.Weights, (x, y) => x.ToCpu().equal(y.ToCpu()).all().item<bool>()).All(same => same);

    static double MaxDiff(Tensor a, Tensor b) => (a.cpu() - b.cpu()).abs().max().item<float>();

    static JsonNode Check(Device gpu, string outDir, string label, Func<Model> create, long[] sampleShape)
    {
        Backend.SetRandomSeed(21);
        var x = rand([256, .. sampleShape]);
        var y = randint(0, 3, [256], ScalarType.Int64);
        var dir = Path.Combine(outDir, "layers_" + label);
        Directory.CreateDirectory(dir);

        // Same weights on both devices, through a TF checkpoint written on CPU.
        Model Compiled(Device device)
        {
            var model = create();
            model.To(device);
            model.Compile("adam", new SparseCategoricalCrossentropy(fromLogits: true), [new SparseCategoricalAccuracy()]);
            return model;
        }
        var onCpu = Compiled(CPU);
        onCpu.SaveWeights(Path.Combine(dir, "start.ckpt"));
        var onGpu = Compiled(gpu);
        onGpu.LoadWeights(Path.Combine(dir, "start.ckpt"));
        double predictionDiff = MaxDiff(onCpu.Predict(x), onGpu.Predict(x));

        var nonTrainableBefore = onGpu.NonTrainableWeights.Select(w => w.ToCpu()).ToList();
        var history = onGpu.Fit(x, y, batchSize: 32, epochs: 2, verbose: 0);
        var nonTrainableChanged = onGpu.NonTrainableWeights.Zip(nonTrainableBefore, (w, before) => !w.ToCpu().equal(before).all().item<bool>()).ToList();

        var files = new JsonObject();
        foreach (var extension in new[] { "keras", "h5" })
        {
            var path = Path.Combine(dir, "model." + extension);
            onGpu.Save(path);
            var loaded = Model.Load(path);
            files[extension] = new JsonObject
            {
                ["loaded_on"] = loaded.Weights[0].Value.device.ToString(),
                ["weights_bit_identical"] = SameWeights(onGpu, loaded),
                ["max_abs_prediction_diff_vs_cuda"] = MaxDiff(onGpu.Predict(x), loaded.Predict(x)),
            };
        }
        return new JsonObject
        {
            ["weights"] = onGpu.Weights.Count,
            ["same_weights_max_abs_prediction_diff_cuda_vs_cpu"] = predictionDiff,
            ["fit_loss"] = new JsonArray(history["loss"].Select(v => (JsonNode)v).ToArray()),
            ["all_weights_on_cuda_after_fit"] = AllOn(onGpu, DeviceType.CUDA),
            ["non_trainable_weights"] = nonTrainableBefore.Count,
            ["non_trainable_changed_by_fit"] = new JsonArray(nonTrainableChanged.Select(c => (JsonNode)c).ToArray()),
            ["files_from_cuda"] = files,
        };
    }
}
