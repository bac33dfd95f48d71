using Layerwise.Export.Onnx;
using Layerwise.Layers;
using Layerwise.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace Layerwise.Tests.Export;

/// <summary>Whole models exported to ONNX: the tutorial model, functional graphs, dynamic axes, nesting, refusals, the file itself.</summary>
[Collection(GlobalRandomState.Name)]
public class OnnxExportModelTests
{
    public OnnxExportModelTests() => torch.set_num_threads(1);

    [Fact]
    public void Tutorial_model_runs_in_onnx_runtime_as_predict()
    {
        Backend.SetRandomSeed(1);
        var model = TutorialModel.Create();
        var (x, _) = TutorialModel.Data(8);
        OnnxRunner.AssertMatchesPredict(model, x);
    }

    [Fact]
    public void Batch_axis_is_dynamic()
    {
        Backend.SetRandomSeed(2);
        var model = new Sequential(new Conv2D(4, [3, 3], padding: "same", inputShape: [6, 6, 2], activation: "relu"),
                                   new MaxPooling2D(), new Flatten(), new Dense(3));
        OnnxRunner.RandomizeWeights(model);
        using var directory = new TempDirectory();
        var path = directory.Combine("model.onnx");
        model.ExportOnnx(path);
        foreach (var batch in new[] { 1, 5 })
        {
            var x = randn(batch, 6, 6, 2);
            OnnxRunner.AssertClose(model.Predict(x), OnnxRunner.Run(path, ("input", x))[0]);
        }
    }

    [Fact]
    public void Unknown_sizes_are_dynamic_axes()
    {
        Backend.SetRandomSeed(4);
        var model = new Sequential(new Conv1D(4, [3], padding: "causal", inputShape: [-1, 3]), new LSTM(5, returnSequences: true),
                                   new GlobalAveragePooling1D());
        OnnxRunner.RandomizeWeights(model);
        using var directory = new TempDirectory();
        var path = directory.Combine("model.onnx");
        model.ExportOnnx(path);
        foreach (var (batch, steps) in new[] { (1, 4), (5, 9) })
        {
            var x = randn(batch, steps, 3);
            OnnxRunner.AssertClose(model.Predict(x), OnnxRunner.Run(path, ("input", x))[0]);
        }
    }

    [Fact]
    public void Functional_model_with_two_inputs_and_two_outputs()
    {
        Backend.SetRandomSeed(5);
        var image = Keras.Input([5, 5, 2], name: "image");
        var features = Keras.Input([4], name: "features");
        var conv = new Conv2D(3, [3, 3], activation: "relu").Call(image);
        var pooled = new GlobalAveragePooling2D().Call(conv);
        var dense = new Dense(3, activation: "tanh").Call(features);
        var merged = new Concatenate().Call(pooled, dense);
        var sum = new Add().Call(pooled, dense);
        var difference = new Subtract().Call(pooled, dense);
        var product = new Multiply().Call(pooled, dense, sum);
        var average = new Average().Call(sum, difference);
        var maximum = new Maximum().Call(product, average, pooled);
        var minimum = new Minimum().Call(maximum, dense);
        var score = new Dense(1, activation: "sigmoid", name: "score").Call(merged);
        var classes = new Dense(2, activation: "softmax", name: "classes").Call(minimum);
        var model = new Functional([image, features], [score, classes]);
        OnnxRunner.RandomizeWeights(model);

        using var directory = new TempDirectory();
        var path = directory.Combine("model.onnx");
        model.ExportOnnx(path);
        var (inputNames, outputNames) = OnnxRunner.Names(path);
        Assert.Equal(["image", "features"], inputNames);
        Assert.Equal(["score", "classes"], outputNames);
        foreach (var batch in new[] { 1, 5 })
        {
            var x = new[] { randn(batch, 5, 5, 2), randn(batch, 4) };
            var expected = model.Predict(x);
            var actual = OnnxRunner.Run(path, ("image", x[0]), ("features", x[1]));
            OnnxRunner.AssertClose(expected[0], actual[0]);
            OnnxRunner.AssertClose(expected[1], actual[1]);
        }
    }

    [Fact]
    public void Nested_models_are_inlined()
    {
        Backend.SetRandomSeed(6);
        var inner = new Sequential(new Dense(6, activation: "relu", inputShape: [4]), new BatchNormalization());
        var input = Keras.Input([6]);
        var head = new Functional(input, new Dense(2).Call(input));
        var model = new Sequential(inner, new Dropout(0.1), head);
        model.EnsureBuilt([4]);
        OnnxRunner.RandomizeWeights(model);
        OnnxRunner.AssertMatchesPredict(model, randn(3, 4));
    }

    [Fact]
    public void Layers_without_an_onnx_form_are_refused_together_by_name_and_no_file_is_written()
    {
        var model = new Sequential(new Dense(4, inputShape: [3]), new Doubler(name: "doubler_a"), new Dropout(0.1), new Doubler(name: "doubler_b"));
        using var directory = new TempDirectory();
        var path = directory.Combine("model.onnx");
        var error = Assert.Throws<OnnxExportException>(() => model.ExportOnnx(path));
        Assert.Equal(["doubler_a", "doubler_b"], error.Layers);
        Assert.Contains("\"doubler_a\" (Doubler)", error.Message);
        Assert.Contains("\"doubler_b\" (Doubler)", error.Message);
        Assert.False(File.Exists(path));

        var recurrent = new Sequential(new LSTM(2, activation: "softplus", inputShape: [5, 3], name: "soft_lstm"));
        var lstmError = Assert.Throws<OnnxExportException>(() => recurrent.ExportOnnx(path));
        Assert.Equal(["soft_lstm"], lstmError.Layers);
        Assert.Contains("\"softplus\"", lstmError.Message);
    }

    [Fact]
    public void A_refused_export_leaves_an_existing_file_untouched()
    {
        using var directory = new TempDirectory();
        var path = directory.Combine("model.onnx");
        File.WriteAllBytes(path, [1, 2, 3]);
        var model = new Sequential(new Doubler(inputShape: [3]));
        Assert.Throws<OnnxExportException>(() => model.ExportOnnx(path));
        Assert.Equal([1, 2, 3], File.ReadAllBytes(path));
        Assert.Equal([path], Directory.GetFiles(directory.Path));
    }

    [Fact]
    public void A_model_without_a_known_input_shape_is_refused()
    {
        using var directory = new TempDirectory();
        var model = new Sequential(new Dense(3));
        var error = Assert.Throws<LayerwiseException>(() => model.ExportOnnx(directory.Combine("model.onnx")));
        Assert.Contains("input shape", error.Message);
    }

    [OnnxCheckerFact]
    public void Onnx_checker_accepts_exported_files()
    {
        Backend.SetRandomSeed(7);
        var sequence = Keras.Input([-1, 3], name: "sequence");
        var image = Keras.Input([6, 6, 2], name: "image");
        var recurrent = new GRU(4).Call(new LSTM(4, returnSequences: true, goBackwards: true).Call(new Conv1D(3, [2], padding: "causal").Call(sequence)));
        var normalized = new LayerNormalization().Call(new SimpleRNN(4).Call(sequence));
        var features = new GlobalMaxPooling2D().Call(new AveragePooling2D(padding: "same").Call(
            new BatchNormalization().Call(new Conv2D(4, [3, 3], strides: [2], padding: "same", activation: "gelu").Call(image))));
        var merged = new Concatenate().Call(recurrent, normalized, features);
        var output = new Dense(2, activation: "softmax", name: "output").Call(new ReLU(maxValue: 6, threshold: 0.1).Call(merged));
        var model = new Functional([sequence, image], [output]);
        using var directory = new TempDirectory();
        var path = directory.Combine("model.onnx");
        model.ExportOnnx(path);
        Assert.StartsWith("17 ", OnnxChecker.Check(path));

        var tutorialPath = directory.Combine("tutorial.onnx");
        TutorialModel.Create(hidden: 16, compile: false).ExportOnnx(tutorialPath);
        // MatMul, Add, Relu, Identity (dropout), MatMul, Add, Identity (the named output).
        Assert.Equal("17 7", OnnxChecker.Check(tutorialPath));
    }

    /// <summary>A layer of the test's own, which the exporter cannot know.</summary>
    sealed class Doubler(long[]? inputShape = null, string? name = null) : Layer(name, true, inputShape)
    {
        public override Tensor Call(Tensor inputs, bool training = false) => inputs.mul(2);
    }
}
