// The "layers" mode of the probe: the layers added after the first GPU run (Conv1D, SimpleRNN, LSTM,
// BatchNormalization, functional models with Add/Concatenate) and those of the more-layers branch
// (GRU, Embedding, pooling, Reshape/Permute/LayerNormalization, element-wise merges) on CUDA. For each model: the same
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

        // The more-layers branch: GRU, Embedding, 1-D/2-D/global pooling, Reshape/Permute/LayerNormalization, element-wise merges.
        step("layers_gru", () => Check(gpu, outDir, "gru", () => new Sequential(
            new GRU(16, returnSequences: true, dropout: 0.1, recurrentDropout: 0.1, inputShape: [20, 4]),
            new GRU(8, resetAfter: false),
            new Dense(3)), [20, 4]));
        step("layers_embedding_pooling_1d", () => Check(gpu, outDir, "embedding", () => new Sequential(
            new Embedding(50, 8, inputLength: 12),
            new Conv1D(8, [3]),
            new MaxPooling1D(padding: "same"),
            new AveragePooling1D([2], strides: [1], padding: "same"),
            new GlobalMaxPooling1D(),
            new Dense(3)), [12], vocabulary: 50));
        step("layers_cnn_average_global_pooling", () => Check(gpu, outDir, "pool2d", () => new Sequential(
            new Conv2D(8, [3, 3], inputShape: [12, 12, 1]),
            new AveragePooling2D(padding: "same"),
            new GlobalAveragePooling2D(keepdims: true),
            new GlobalMaxPooling2D(),
            new Dense(3)), [12, 12, 1]));
        step("layers_reshape_permute_layernorm", () => Check(gpu, outDir, "reshape", () => new Sequential(
            new Dense(12, inputShape: [6]),
            new LayerNormalization(),
            new Reshape([-1, 3]),
            new Permute([2, 1]),
            new LayerNormalization(axis: [2, 1]),
            new Flatten(),
            new Dense(3)), [6]));
        step("layers_functional_elementwise_merges", () => Check(gpu, outDir, "merges", () =>
        {
            var inputs = Keras.Input(shape: [16]);
            var a = new Dense(8).Call(inputs);
            var b = new Dense(8).Call(inputs);
            var c = new Dense(8).Call(inputs);
            var merged = new Concatenate().Call(new Subtract().Call(a, b), new Multiply().Call(a, b, c), new Average().Call(a, c),
                                                new Maximum().Call(b, c), new Minimum().Call(a, b, c));
            return new Functional(inputs, new Dense(3).Call(merged));
        }, [16]));
    }

    static bool AllOn(Model model, DeviceType type) => model.Weights.All(w => w.Value.device_type == type);

    static bool SameWeights(Model a, Model b) =>
        a.Weights.Count == b.Weights.Count &&
        a.Weights.Zip(b.Weights, (x, y) => x.ToCpu().equal(y.ToCpu()).all().item<bool>()).All(same => same);

    static double MaxDiff(Tensor a, Tensor b) => (a.cpu() - b.cpu()).abs().max().item<float>();

    /// <param name="vocabulary">For an Embedding model: inputs are indices below it (as floats, the way Fit passes them).</param>
    static JsonNode Check(Device gpu, string outDir, string label, Func<Model> create, long[] sampleShape, int vocabulary = 0)
    {
        Backend.SetRandomSeed(21);
        var x = vocabulary > 0 ? randint(0, vocabulary, [256, .. sampleShape]).to_type(ScalarType.Float32) : rand([256, .. sampleShape]);
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
