using Layerwise.Training.Losses;
using static TorchSharp.torch;

namespace Layerwise.Tests.Models.FunctionalApi;

/// <summary>Wrong inputs to a multi-output model's Compile/Fit/Evaluate say what is wrong, where, and what was expected.</summary>
public class MultiOutputErrorTests
{
    static Layerwise.Models.Functional Compiled()
    {
        var model = MultiOutputModel.Create();
        model.Compile("sgd", [new SparseCategoricalCrossentropy(fromLogits: true), new MeanSquaredError()]);
        return model;
    }

    [Fact]
    public void Too_few_inputs_names_the_models_inputs()
    {
        var (a, _, classes, values) = MultiOutputModel.Data(1);
        var e = Assert.Throws<ArgumentException>(() => Compiled().Fit([a], [classes, values], verbose: 0));
        Assert.Contains("has 2 input(s) (\"a\", \"b\") but received 1 input tensor(s)", e.Message);
    }

    [Fact]
    public void Too_many_targets_names_the_models_outputs()
    {
        var (a, b, classes, values) = MultiOutputModel.Data(1);
        var e = Assert.Throws<ArgumentException>(() => Compiled().Evaluate([a, b], [classes, values, values], verbose: 0));
        Assert.Contains("has 2 output(s) (\"cls\", \"reg\") but received 3 target tensor(s)", e.Message);
    }

    [Fact]
    public void Different_sample_counts_name_the_tensor_and_both_counts()
    {
        var (a, b, classes, values) = MultiOutputModel.Data(1);
        var e = Assert.Throws<ArgumentException>(() => Compiled().Fit([a, b], [classes, values.narrow(0, 0, 7)], verbose: 0));
        Assert.Contains("the target of output \"reg\" has shape (7, 1) but input \"a\" has 20 samples", e.Message);
        e = Assert.Throws<ArgumentException>(() => Compiled().Fit([a, b.narrow(0, 0, 5)], [classes, values], verbose: 0));
        Assert.Contains("input \"b\" has shape (5, 2)", e.Message);
    }

    [Fact]
    public void An_unknown_output_name_in_a_loss_dictionary_lists_the_outputs()
    {
        var model = MultiOutputModel.Create();
        var e = Assert.Throws<ArgumentException>(() => model.Compile("sgd", new Dictionary<string, Loss> { ["cls"] = "mse", ["dense_9"] = "mse" }));
        Assert.Contains("loss names \"dense_9\", which is not an output of model \"two_by_two\"; its outputs are \"cls\", \"reg\"", e.Message);
        Assert.False(model.IsCompiled);
    }

    [Fact]
    public void A_loss_list_of_the_wrong_length_is_refused()
    {
        var e = Assert.Throws<ArgumentException>(() => MultiOutputModel.Create().Compile("sgd", [new MeanSquaredError()]));
        Assert.Contains("has 2 output(s) (\"cls\", \"reg\") but loss lists 1 value(s)", e.Message);
        e = Assert.Throws<ArgumentException>(() => MultiOutputModel.Create().Compile("sgd", ["mse", "mse"], lossWeights: [1.0]));
        Assert.Contains("lossWeights lists 1 value(s)", e.Message);
    }

    [Fact]
    public void The_single_tensor_overloads_point_to_the_list_overloads()
    {
        var (a, _, classes, _) = MultiOutputModel.Data(1);
        var e = Assert.Throws<NotSupportedException>(() => Compiled().Fit(a, classes, verbose: 0));
        Assert.Contains("Fit(IReadOnlyList<Tensor>, IReadOnlyList<Tensor>)", e.Message);
    }
}

/// <summary>Inputs and targets keyed by name, as Keras' dictionaries.</summary>
public class MultiOutputDictionaryTests
{
    [Fact]
    public void Name_keyed_inputs_and_targets_give_what_the_lists_give()
    {
        var model = MultiOutputModel.Create();
        model.Compile("sgd", [new SparseCategoricalCrossentropy(fromLogits: true), new MeanSquaredError()]);
        var (a, b, classes, values) = MultiOutputModel.Data(9);

        var byName = model.Evaluate(new Dictionary<string, Tensor> { ["b"] = b, ["a"] = a },
                                    new Dictionary<string, Tensor> { ["reg"] = values, ["cls"] = classes }, verbose: 0);
        var byList = model.Evaluate([a, b], [classes, values], verbose: 0);

        Assert.Equal(byList.ToList(), byName.ToList());
        Assert.True(model.Predict(new Dictionary<string, Tensor> { ["a"] = a, ["b"] = b })[1].eq(model.Predict([a, b])[1]).all().item<bool>());
        var e = Assert.Throws<ArgumentException>(() => model.Fit(new Dictionary<string, Tensor> { ["a"] = a },
                                                                 new Dictionary<string, Tensor> { ["cls"] = classes, ["reg"] = values }, verbose: 0));
        Assert.Contains("x has no tensor for \"b\"", e.Message);
    }
}
