using Layerwise.Layers;
using Layerwise.Models;
using Layerwise.Training.Losses;
using Layerwise.Training.Optimizers;
using static Layerwise.Tests.Training.SampleWeightFixture;
using static TorchSharp.torch;

namespace Layerwise.Tests.Training;

public class SampleWeightErrorAndMultiOutputTests
{
    [Fact]
    public void Errors_say_what_where_and_what_was_expected()
    {
        var model = Model();
        var wrongLength = Assert.Throws<ArgumentException>(() => model.Fit(X(), Labels(), verbose: 0, sampleWeight: ones(5)));
        Assert.Contains("sampleWeight", wrongLength.Message);
        Assert.Contains("6 samples", wrongLength.Message);
        Assert.Throws<ArgumentException>(() => model.Evaluate(X(), Labels(), verbose: 0, sampleWeight: ones(6, 2)));

        var missing = Assert.Throws<ArgumentException>(() =>
            model.Fit(X(), Labels(), verbose: 0, classWeight: new Dictionary<int, double> { [0] = 1, [1] = 2 }));
        Assert.Contains("class(es) [2]", missing.Message);

        var gap = Assert.Throws<ArgumentException>(() =>
            model.Fit(X(), Labels(), verbose: 0, classWeight: new Dictionary<int, double> { [0] = 1, [2] = 2, [3] = 1 }));
        Assert.Contains("keys from 0 to one less than the number of classes", gap.Message);

        var noValidation = Assert.Throws<ArgumentException>(() => model.Fit(X(), Labels(), verbose: 0, validationSampleWeight: ones(6)));
        Assert.Contains("validationData", noValidation.Message);
        Assert.Equal(Parameters(Model()), Parameters(model));   // nothing trained before the checks
    }

    static Functional TwoOutputs()
    {
        var input = Keras.Input([2], name: "sw_in");
        var a = new Dense(3, name: "sw_cls").Call(input);
        var b = new Dense(1, name: "sw_reg").Call(input);
        var model = new Functional([input], [a, b]);
        model.Compile(new SGD(0.1), [new SparseCategoricalCrossentropy(fromLogits: true), new MeanSquaredError()]);
        return model;
    }

    [Fact]
    public void Multi_output_models_take_one_weight_tensor_per_output_and_refuse_class_weight()
    {
        var model = TwoOutputs();
        var yReg = X().sum(1, keepdim: true);
        var w = tensor(new float[] { 1, 0, 2, 0, 0.5f, 3 });

        var weighted = model.Evaluate([X()], [Labels(), yReg], batchSize: 6, verbose: 0, sampleWeight: [w, null]);
        var plain = model.Evaluate([X()], [Labels(), yReg], batchSize: 6, verbose: 0);
        var predictions = model.Predict([X()]);
        var clsLoss = nn.functional.cross_entropy(predictions[0].to_type(ScalarType.Float64), Labels(), reduction: nn.Reduction.None)
            .mul(w.to_type(ScalarType.Float64)).sum().item<double>() / 6;
        // Float32 losses against a float64 hand computation: relative tolerance (unseeded weights make the loss ~1 to ~10).
        Assert.Equal(clsLoss, weighted["sw_cls_loss"], 1e-5 * Math.Abs(clsLoss));
        Assert.Equal(plain["sw_reg_loss"], weighted["sw_reg_loss"]);   // null: that output unweighted
        Assert.Equal(clsLoss + plain["sw_reg_loss"], weighted["loss"], 1e-5 * Math.Abs(clsLoss + plain["sw_reg_loss"]));

        var count = Assert.Throws<ArgumentException>(() => model.Fit([X()], [Labels(), yReg], verbose: 0, sampleWeight: [w]));
        Assert.Contains("2 output(s)", count.Message);
        var classWeight = Assert.Throws<ArgumentException>(() =>
            model.Fit([X()], [Labels(), yReg], verbose: 0, classWeight: new Dictionary<int, double> { [0] = 1, [1] = 1, [2] = 1 }));
        Assert.Contains("single output", classWeight.Message);
    }
}
