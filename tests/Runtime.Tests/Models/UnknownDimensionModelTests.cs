using Layerwise.Layers;
using Layerwise.Models;
using TorchSharp;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Layerwise.Tests.Models;

/// <summary>
/// Models whose inputs have unknown dimensions (Keras' None): built once, then predicted, trained and
/// evaluated on inputs of different sizes across calls; summaries print None; bad shapes are refused.
/// </summary>
[Collection(GlobalRandomState.Name)]
public class UnknownDimensionModelTests
{
    public UnknownDimensionModelTests() => TutorialModel.SingleThread();

    static Sequential SequenceModel(long steps) => new(
        new LSTM(4, returnSequences: true, inputShape: [steps, 3]),
        new GlobalAveragePooling1D(),
        new Dense(2));

    static void CopyWeights(Model from, Model to)
    {
        foreach (var (source, target) in from.Weights.Zip(to.Weights, (a, b) => (a, b))) target.Assign(source.Value);
    }

    [Fact]
    public void An_LSTM_model_trains_and_evaluates_on_5_then_9_steps_exactly_as_fixed_length_models()
    {
        Backend.SetRandomSeed(11);
        var model = SequenceModel(-1);
        model.Compile("sgd", "mse");
        foreach (long steps in new long[] { 5, 9 })
        {
            var x = randn([16, steps, 3], generator: new Generator((ulong)steps));
            var y = randn([16, 2], generator: new Generator((ulong)steps + 100));
            var reference = SequenceModel(steps);
            reference.Compile("sgd", "mse");
            CopyWeights(model, reference);

            model.Fit(x, y, batchSize: 8, epochs: 2, shuffle: false, verbose: 0);
            reference.Fit(x, y, batchSize: 8, epochs: 2, shuffle: false, verbose: 0);

            Assert.Equal(TutorialModel.WeightValues(reference), TutorialModel.WeightValues(model));
            // Evaluate's loss, by hand from the predictions: the mean squared error.
            using var predicted = model.Predict(x);
            double expected = predicted.sub(y).square().mean().item<float>();
            var logs = model.Evaluate(x, y, batchSize: 16, verbose: 0);
            Assert.Equal(expected, logs["loss"], 5);
        }
    }

    [Fact]
    public void A_fully_convolutional_model_predicts_16x16_and_24x20_images_as_the_plain_torch_computation()
    {
        Backend.SetRandomSeed(12);
        var inputs = Keras.Input([-1, -1, 3], name: "image");
        var conv = new Conv2D(4, [3, 3], activation: "relu");
        var head = new Dense(2);
        var model = new Functional(inputs, head.Call(new GlobalMaxPooling2D().Call(conv.Call(inputs))));

        foreach (var (h, w) in new[] { (16L, 16L), (24L, 20L) })
        {
            using var x = rand([2, h, w, 3], generator: new Generator((ulong)(h * w)));
            using var actual = model.Predict(x);
            // By hand: NHWC -> NCHW, torch's conv2d with the kernel [kh, kw, in, out] laid out as [out, in, kh, kw], relu, max over H and W, x·K + b.
            using var features = F.conv2d(x.permute(0, 3, 1, 2), conv.Kernel.Value.detach().permute(3, 2, 0, 1), conv.Bias!.Value.detach()).relu();
            using var expected = features.amax([2, 3]).matmul(head.Kernel.Value.detach()).add(head.Bias!.Value.detach());
            Assert.True(actual.allclose(expected, rtol: 0, atol: 1e-5), $"{h}x{w}");
        }
    }

    [Fact]
    public void Summary_prints_unknown_dimensions_as_None()
    {
        Backend.ClearSession();
        var sequential = SequenceModel(-1);
        var text = sequential.SummaryText();
        // LSTM params: 4 gates x 4 units x (3 features + 4 units + 1 bias) = 128; Dense: 4 x 2 + 2 = 10.
        Assert.Matches(@"lstm \(LSTM\) +\(None, None, 4\) +128\n", text);
        Assert.Matches(@"dense \(Dense\) +\(None, 2\) +10\n", text);

        var inputs = Keras.Input([-1, -1, 3], name: "image");
        var functional = new Functional(inputs, new GlobalMaxPooling2D().Call(new Conv2D(4, [3, 3]).Call(inputs)));
        var functionalText = functional.SummaryText();
        Assert.Contains("[(None, None, None, 3)]", functionalText);
        Assert.Contains("(None, None, None, 4)", functionalText);
        Assert.Equal("<KerasTensor shape=(None, None, None, 3), name=image>", inputs.ToString());
    }

    [Fact]
    public void A_nested_model_with_unknown_steps_runs_inside_another_model()
    {
        Backend.SetRandomSeed(13);
        var inner = new Sequential(new LSTM(3, returnSequences: true, inputShape: [-1, 2]));
        var outer = new Sequential(inner, new GlobalMaxPooling1D(), new Dense(1));
        Assert.Equal([-1, 2], outer.InputShape!);
        var reference = new Sequential(new Sequential(new LSTM(3, returnSequences: true, inputShape: [6, 2])), new GlobalMaxPooling1D(), new Dense(1));
        CopyWeights(outer, reference);
        using var x = randn(4, 6, 2);
        PredictionAssert.Same(reference, outer, x);
        using var longer = outer.Predict(randn(4, 10, 2));
        Assert.Equal([4, 1], longer.shape);
    }

    [Fact]
    public void A_wrong_known_size_is_refused_by_model_and_input_checks()
    {
        Backend.ClearSession();
        var model = SequenceModel(-1);
        var e = Assert.Throws<IncompatibleShapeException>(() => model.Predict(zeros(2, 5, 4)));
        Assert.Contains("(2, 5, 4)", e.Message);

        var inputs = Keras.Input([-1, 8], name: "tokens");
        var functional = new Functional(inputs, new Dense(2).Call(inputs));
        e = Assert.Throws<IncompatibleShapeException>(() => functional.Predict(zeros(2, 5, 7)));
        Assert.Contains("(None, None, 8)", e.Message);
        Assert.Contains("(2, 5, 7)", e.Message);
        using var ok = functional.Predict(zeros(2, 5, 8));
        Assert.Equal([2, 5, 2], ok.shape);
    }

    [Fact]
    public void Shapes_with_zero_or_other_negative_sizes_are_refused()
    {
        Assert.Throws<ArgumentException>(() => Keras.Input([0, 8]));
        var e = Assert.Throws<ArgumentException>(() => Keras.Input([-2, 8]));
        Assert.Contains("-1 (unknown, Keras' None)", e.Message);
        Assert.Throws<ArgumentException>(() => new Dense(2, inputShape: [0]));
        Assert.Throws<ArgumentException>(() => new LSTM(2, inputShape: [-3, 2]));
    }

    [Fact]
    public void A_subclassed_model_refuses_to_be_built_for_unknown_sizes_and_is_built_by_its_first_data()
    {
        var tower = new Serialization.TwoTower(4, 2, name: "tower");
        var e = Assert.Throws<LayerwiseException>(() => tower.EnsureBuilt([-1, 6]));
        Assert.Contains("\"tower\"", e.Message);
        Assert.Contains("(None, None, 6)", e.Message);
        Assert.False(tower.Built);

        using var output = tower.Predict(zeros(2, 5, 6));
        Assert.Equal([2, 5, 2], output.shape);
    }
}
