using Layerwise.Layers;
using Layerwise.Models;
using Layerwise.Training.Losses;
using TorchSharp;
using static TorchSharp.torch;

namespace Layerwise.Tests.Models.FunctionalApi;

/// <summary>
/// Graph building and running: outputs equal the same computation written with torch ops on the
/// model's own weights; shared layers use one set of weights; bad graphs are refused with Keras' reasons.
/// </summary>
public class FunctionalModelTests
{
    public FunctionalModelTests() => TutorialModel.SingleThread();

    static Tensor Linear(Tensor x, Dense dense) => x.matmul(dense.Kernel.Value).add(dense.Bias!.Value);

    [Fact]
    public void Two_branches_merged_by_Add_and_Concatenate_compute_what_torch_computes_by_hand()
    {
        var inputs = Keras.Input([4], name: "features");
        var left = new Dense(3, activation: "relu");
        var right = new Dense(3);
        var head = new Dense(2);
        var sum = new Add().Call(left.Call(inputs), right.Call(inputs));
        var joined = new Concatenate().Call(sum, inputs);
        var model = new Functional(inputs, head.Call(joined));

        using var x = randn([5, 4]);
        using var actual = model.Predict(x);

        using var expectedSum = Linear(x, left).relu().add(Linear(x, right));
        using var expected = Linear(cat([expectedSum, x], 1), head);
        Assert.Equal([5L, 2L], actual.shape);
        Assert.True(actual.allclose(expected, rtol: 1e-6, atol: 1e-6), "functional output differs from the hand computation");
        Assert.Equal([7L], joined.Shape);
    }

    [Fact]
    public void Concatenate_on_an_inner_axis_joins_that_axis()
    {
        var a = Keras.Input([2, 3]);
        var b = Keras.Input([5, 3]);
        var joined = new Concatenate(axis: 1).Call(a, b);
        var model = new Functional([a, b], [joined]);
        using var xa = randn([4, 2, 3]);
        using var xb = randn([4, 5, 3]);

        var outputs = model.Predict([xa, xb]);

        Assert.Equal([7L, 3L], joined.Shape);
        Assert.True(outputs.Single().eq(cat([xa, xb], 1)).all().item<bool>());
    }

    [Fact]
    public void A_layer_called_twice_shares_its_weights()
    {
        var a = Keras.Input([3], name: "left_in");
        var b = Keras.Input([3], name: "right_in");
        var shared = new Dense(2, name: "shared_dense");
        var outputs = new Add().Call(shared.Call(a), shared.Call(b));
        var model = new Functional([a, b], [outputs]);
        using var xa = randn([6, 3]);
        using var xb = randn([6, 3]);

        var predicted = model.Predict([xa, xb]).Single();

        Assert.Equal(2, model.Weights.Count);                      // one kernel, one bias
        Assert.Equal(2, shared.InboundNodes.Count);
        Assert.Equal(["left_in", "right_in", "shared_dense"], model.Layers.Take(3).Select(l => l.Name));
        Assert.IsType<Add>(model.Layers[3]);
        using var expected = Linear(xa, shared).add(Linear(xb, shared));
        Assert.True(predicted.allclose(expected, rtol: 1e-6, atol: 1e-6));
    }

    [Fact]
    public void Several_outputs_predict_one_tensor_each_and_training_them_is_refused()
    {
        var inputs = Keras.Input([4]);
        var first = new Dense(2).Call(inputs);
        var second = new Dense(3, activation: "sigmoid").Call(inputs);
        var model = new Functional([inputs], [first, second]);
        model.Compile("sgd", new MeanSquaredError());
        using var x = randn([10, 4]);

        var outputs = model.Predict([x], batchSize: 3);

        Assert.Equal([10L, 2L], outputs[0].shape);
        Assert.Equal([10L, 3L], outputs[1].shape);
        Assert.True(outputs[1].ge(0).all().item<bool>() && outputs[1].le(1).all().item<bool>());
        var e = Assert.Throws<NotSupportedException>(() => model.Fit(x, zeros([10, 2]), verbose: 0));
        Assert.Contains("1 input(s) and 2 output(s)", e.Message);
        Assert.Throws<NotSupportedException>(() => model.Predict(x));
    }

    [Fact]
    public void Functional_model_trains_exactly_as_the_same_Sequential_model()
    {
        var inputs = Keras.Input([6]);
        var hidden = new Dense(8, activation: "relu");
        var output = new Dense(3);
        var functional = new Functional(inputs, output.Call(hidden.Call(inputs)));
        var sequential = new Sequential(new Dense(8, activation: "relu", inputShape: [6]), new Dense(3));
        foreach (var (from, to) in functional.Weights.Zip(sequential.Weights)) to.Assign(from.Value);
        var (x, y) = (randn([40, 6], generator: new Generator(3)), randint(0, 3, [40], dtype: ScalarType.Int64, generator: new Generator(4)));
        foreach (var model in new Model[] { functional, sequential })
            model.Compile("adam", new SparseCategoricalCrossentropy(fromLogits: true), ["accuracy"]);

        var functionalHistory = functional.Fit(x, y, batchSize: 8, epochs: 3, shuffle: false, verbose: 0);
        var sequentialHistory = sequential.Fit(x, y, batchSize: 8, epochs: 3, shuffle: false, verbose: 0);

        Assert.Equal(TutorialModel.WeightValues(sequential), TutorialModel.WeightValues(functional));
        Assert.Equal(sequentialHistory["loss"], functionalHistory["loss"]);
        Assert.Equal(functional.Evaluate(x, y, verbose: 0)["loss"], sequential.Evaluate(x, y, verbose: 0)["loss"]);
    }

    [Fact]
    public void An_output_that_needs_an_input_the_model_does_not_list_is_a_disconnected_graph()
    {
        var a = Keras.Input([2], name: "a_in");
        var b = Keras.Input([2], name: "b_in");
        var sum = new Add().Call(a, b);
        var e = Assert.Throws<ArgumentException>(() => new Functional(a, sum));
        Assert.Contains("Graph disconnected", e.Message);
        Assert.Contains("b_in", e.Message);
    }

    [Fact]
    public void Inputs_must_come_from_Keras_Input()
    {
        var a = Keras.Input([2]);
        var hidden = new Dense(2).Call(a);
        var e = Assert.Throws<ArgumentException>(() => new Functional(hidden, new Dense(1).Call(hidden)));
        Assert.Contains("must come from Keras.Input", e.Message);
    }

    [Fact]
    public void Two_layers_with_one_name_are_refused()
    {
        var a = Keras.Input([2]);
        var x = new Dense(2, name: "twin").Call(a);
        var y = new Dense(2, name: "twin").Call(x);
        var e = Assert.Throws<ArgumentException>(() => new Functional(a, y));
        Assert.Contains("\"twin\" is used 2 times", e.Message);
    }

    [Fact]
    public void Shapes_are_checked_when_the_graph_is_built()
    {
        var a = Keras.Input([3]);
        var b = Keras.Input([4]);
        Assert.Throws<IncompatibleShapeException>(() => new Add().Call(a, b));
        Assert.Throws<IncompatibleShapeException>(() => new Concatenate().Call(Keras.Input([2, 3]), Keras.Input([3, 3])));
        var dense = new Dense(2);
        dense.Call(a);
        Assert.Throws<IncompatibleShapeException>(() => dense.Call(b));  // a built layer keeps its input size
        var single = Assert.Throws<ArgumentException>(() => new Dense(2).Call(a, a));
        Assert.Contains("takes one input", single.Message);
        Assert.Throws<ArgumentException>(() => new Add().Call(a));
    }

    [Fact]
    public void Data_of_the_wrong_shape_is_refused_before_any_tensor_math()
    {
        var a = Keras.Input([3], name: "img");
        var model = new Functional(a, new Dense(2).Call(a));
        using var x = randn([4, 5]);
        var e = Assert.Throws<IncompatibleShapeException>(() => model.Predict(x));
        Assert.Contains("(None, 3)", e.Message);
    }
}
