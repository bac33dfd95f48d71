using Layerwise.Layers;
using Layerwise.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace Layerwise.Tests.Export;

/// <summary>
/// The models the TF.js tests export: every Layerwise layer TensorFlow.js implements, in Sequential, functional
/// (two inputs) and nested models, with every weight set to seeded random values (biases, BatchNormalization's
/// moving statistics too), so that a misplaced or misnamed weight changes the predictions.
/// </summary>
internal static class TfjsModelKinds
{
    public static readonly string[] Names =
        ["dense_dropout", "conv2d_pooling", "conv1d_pooling", "normalization_activations", "reshaping", "embedding", "recurrent", "merges_two_inputs", "nested", "nested_in_functional", "unshaped_sequential_in_functional", "functional_in_sequential"];

    public static (Model Model, Tensor[] Inputs) Create(string kind)
    {
        var g = new Generator(1234);
        Model model;
        Tensor[] inputs;
        switch (kind)
        {
            case "dense_dropout":
                model = new Sequential(new Dense(8, activation: "relu", inputShape: [5]), new Dropout(0.3), new Dense(3, activation: "softmax"));
                inputs = [randn([4, 5], generator: g)];
                break;
            case "conv2d_pooling":
                model = new Sequential(
                    new Conv2D(4, [3, 3], padding: "same", activation: "relu", inputShape: [8, 8, 2]),
                    new MaxPooling2D([2, 2]),
                    new Conv2D(3, [2, 2], strides: [1, 1], activation: "sigmoid"),
                    new AveragePooling2D([2, 2], padding: "same"),
                    new GlobalMaxPooling2D(),
                    new Dense(2));
                inputs = [randn([3, 8, 8, 2], generator: g)];
                break;
            case "conv1d_pooling":
                model = new Sequential(
                    new Conv1D(4, [3], activation: "relu", inputShape: [12, 3]),
                    new MaxPooling1D([2]),
                    new Conv1D(5, [2], padding: "same"),
                    new AveragePooling1D([2]),
                    new GlobalAveragePooling1D(),
                    new Dense(2));
                inputs = [randn([3, 12, 3], generator: g)];
                break;
            case "normalization_activations":
                model = new Sequential(
                    new Dense(6, inputShape: [4]),
                    new BatchNormalization(),
                    new Activation("tanh"),
                    new LayerNormalization(),
                    new ReLU(maxValue: 1.5),
                    new Dense(6),
                    new LeakyReLU(0.2),
                    new Dense(5),
                    new ELU(),
                    new Softmax());
                inputs = [randn([4, 4], generator: g)];
                break;
            case "reshaping":
                model = new Sequential(
                    new Reshape([4, 3], inputShape: [12]),
                    new Permute([2, 1]),
                    new Conv1D(2, [2]),
                    new Flatten(),
                    new Dense(3));
                inputs = [randn([2, 12], generator: g)];
                break;
            case "embedding":
                model = new Sequential(new Embedding(20, 4, inputShape: [6]), new Flatten(), new Dense(3));
                inputs = [randint(0, 20, [3, 6], generator: g).to_type(ScalarType.Float32)];
                break;
            case "recurrent":
                model = new Sequential(
                    new LSTM(5, returnSequences: true, inputShape: [7, 3]),
                    new GRU(4, returnSequences: true, resetAfter: false),
                    new SimpleRNN(3));
                inputs = [randn([2, 7, 3], generator: g)];
                break;
            case "merges_two_inputs":
            {
                var a = Keras.Input([6], name: "left");
                var b = Keras.Input([6], name: "right");
                var da = new Dense(4, activation: "tanh").Call(a);
                var db = new Dense(4, activation: "tanh").Call(b);
                var merged = new Concatenate().Call(
                    new Add().Call(da, db), new Multiply().Call(da, db),
                    new Average().Call(da, db), new Maximum().Call(da, db), new Minimum().Call(da, db));
                model = new Functional([a, b], [new Dense(3).Call(merged), new Dense(1, activation: "sigmoid").Call(da)]);
                inputs = [randn([3, 6], generator: g), randn([3, 6], generator: g)];
                break;
            }
            case "nested":
            {
                var inner = new Sequential([new Dense(6, activation: "relu", inputShape: [5]), new BatchNormalization(), new Dense(4)], name: "inner");
                model = new Sequential(inner, new Dense(3, activation: "softmax"));
                inputs = [randn([3, 5], generator: g)];
                break;
            }
            case "nested_in_functional":
            {
                var inner = new Sequential([new Dense(6, activation: "relu", inputShape: [5]), new Dense(4)], name: "inner");
                var x = Keras.Input([5], name: "features");
                model = new Functional(x, new Dense(2).Call(inner.Call(x)));
                inputs = [randn([3, 5], generator: g)];
                break;
            }
            case "unshaped_sequential_in_functional":
            {
                var inner = new Sequential([new Dense(6, activation: "relu"), new Dense(4)], name: "inner");
                var x = Keras.Input([5], name: "features");
                model = new Functional(x, new Dense(2).Call(inner.Call(x)));
                inputs = [randn([3, 5], generator: g)];
                break;
            }
            case "functional_in_sequential":
            {
                var x = Keras.Input([5], name: "features");
                var functional = new Functional(x, new Dense(4, activation: "relu").Call(x), name: "inner");
                model = new Sequential(functional, new Dense(3));
                inputs = [randn([3, 5], generator: g)];
                break;
            }
            default:
                throw new ArgumentOutOfRangeException(nameof(kind), kind, "unknown model kind");
        }
        if (!model.Built) model.Predict(inputs[0]).Dispose();
        Randomize(model, g);
        return (model, inputs);
    }

    /// <summary>Every weight to seeded values; variances positive (BatchNormalization takes their square root).</summary>
    public static void Randomize(Model model, Generator g)
    {
        foreach (var w in model.Weights)
        {
            using var values = w.Name.Contains("variance") ? rand(w.Shape, generator: g).add(0.5) : randn(w.Shape, generator: g).mul(0.5);
            w.Assign(values);
        }
    }
}
