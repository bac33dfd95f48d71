using Layerwise.Layers;
using Layerwise.Models;
using static TorchSharp.torch;

namespace Layerwise.Bench;

/// <summary>
/// Predict outputs of a zoo of seeded models (MLP, CNNs, channels_first, Conv1D/3D, depthwise, separable,
/// grouped, transposed, LSTM, GRU, BatchNormalization) at several sample counts and batch sizes, written
/// as raw bytes: run it on two builds and compare the files (cmp) to show a change kept every bit.
/// </summary>
static class PredictDump
{
    public static void Run(string file)
    {
        Backend.SetRandomSeed(0);
        var zoo = new (string, Func<Model>, long[])[]
        {
            ("mlp", () => new Sequential(new Dense(512, activation: "relu", inputShape: [784]), new Dense(10)), [784]),
            ("cnn", () => new Sequential(new Conv2D(32, [3, 3], activation: "relu", inputShape: [28, 28, 1]), new MaxPooling2D([2, 2]), new Flatten(), new Dense(10)), [28, 28, 1]),
            ("convconv", () => new Sequential(new Conv2D(8, [3, 3], activation: "relu", inputShape: [16, 16, 3]), new Conv2D(16, [3, 3], strides: [2, 2], padding: "same"),
                                            new Conv2D(32, [3, 3], activation: "tanh"), new Conv2D(20, [1, 1]), new Conv2D(17, [3, 3], padding: "same"), new GlobalAveragePooling2D(), new Dense(3)), [16, 16, 3]),
            ("conv_cf", () => new Sequential(new Conv2D(8, [3, 3], dataFormat: "channels_first", inputShape: [3, 12, 12]), new AveragePooling2D([2, 2], dataFormat: "channels_first"), new Flatten()), [3, 12, 12]),
            ("conv1d", () => new Sequential(new Conv1D(16, [3], padding: "causal", dilationRate: [2], inputShape: [20, 5]), new Conv1D(24, [5], strides: [2]), new MaxPooling1D(), new Flatten()), [20, 5]),
            ("conv3d", () => new Sequential(new Conv3D(4, [2, 2, 2], inputShape: [6, 6, 6, 2]), new Conv3D(8, [3, 3, 3], padding: "same"), new Flatten()), [6, 6, 6, 2]),
            ("depthwise", () => new Sequential(new DepthwiseConv2D([3, 3], depthMultiplier: 2, inputShape: [10, 10, 6]), new SeparableConv2D(12, [3, 3]), new Conv2D(8, [3, 3], groups: 2), new Flatten()), [10, 10, 6]),
            ("transpose", () => new Sequential(new Conv2DTranspose(6, [3, 3], strides: [2, 2], inputShape: [7, 7, 4]), new Conv2DTranspose(3, [2, 2], padding: "same"), new Flatten()), [7, 7, 4]),
            ("lstm", () => new Sequential(new LSTM(64, inputShape: [20, 8]), new Dense(10)), [20, 8]),
            ("gru", () => new Sequential(new GRU(16, returnSequences: true, inputShape: [9, 4]), new SimpleRNN(8), new Dense(2, activation: "softmax")), [9, 4]),
            ("bn", () => new Sequential(new Dense(32, inputShape: [12]), new BatchNormalization(), new Dropout(0.5), new Dense(4, activation: "sigmoid")), [12]),
        };
        using var output = File.Create(file);
        foreach (var (name, make, sample) in zoo)
        {
            var model = make();
            foreach (var (samples, batchSize) in new[] { (1, 32), (37, 16), (37, 37), (300, 256) })
            {
                var x = rand([samples, .. sample]);
                using var y = model.Predict(x, batchSize: batchSize);
                output.Write(y.contiguous().bytes);
                Console.WriteLine($"{name} {samples}/{batchSize}: {ShapeText.Format(y.shape)} sum {y.sum().item<float>()}");
            }
        }
    }
}
