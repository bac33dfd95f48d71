using Layerwise.Layers;
using Layerwise.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace Layerwise.Tests.Layers;

/// <summary>
/// Subtract, Multiply, Average, Maximum, Minimum (and Add on the same base): values by hand,
/// broadcasting, input counts, a functional model through every format and training.
/// </summary>
[Collection(GlobalRandomState.Name)]
public class ElementwiseMergeTests
{
    public ElementwiseMergeTests() => torch.set_num_threads(1);

    static Tensor A() => tensor(new[] { 1f, -2f, 3f }, [1, 3]);
    static Tensor B() => tensor(new[] { 4f, 5f, -6f }, [1, 3]);
    static Tensor C() => tensor(new[] { 0f, 1f, 1f }, [1, 3]);

    static float[] Run(Merge layer, params Tensor[] inputs)
    {
        using var y = layer.Call(inputs);
        Assert.Equal(inputs[0].shape, y.shape);
        return y.data<float>().ToArray();
    }

    [Fact]
    public void Values_match_the_element_wise_arithmetic()
    {
        Assert.Equal([-3f, -7f, 9f], Run(new Subtract(), A(), B()));
        Assert.Equal([0f, -10f, -18f], Run(new Multiply(), A(), B(), C()));
        Assert.Equal([5f / 3, 4f / 3, -2f / 3], Run(new Average(), A(), B(), C()));
        Assert.Equal([4f, 5f, 3f], Run(new Maximum(), A(), B(), C()));
        Assert.Equal([0f, -2f, -6f], Run(new Minimum(), A(), B(), C()));
        Assert.Equal([5f, 4f, -2f], Run(new Add(), A(), B(), C()));
    }

    [Fact]
    public void Shapes_broadcast_where_one_side_is_one()
    {
        var layer = new Multiply();
        Assert.Equal([2L, 3L], layer.ComputeOutputShape([[2, 1], [1, 3]]));
        using var y = layer.Call([ones(1, 2, 1).mul(2), arange(3, dtype: ScalarType.Float32).reshape(1, 1, 3)]);
        Assert.Equal([0f, 2f, 4f, 0f, 2f, 4f], y.data<float>().ToArray());
        Assert.Throws<IncompatibleShapeException>(() => new Maximum().ComputeOutputShape([[2, 3], [3, 2]]));
    }

    [Fact]
    public void Subtract_takes_exactly_two_inputs_and_the_others_at_least_two()
    {
        var e = Assert.Throws<ArgumentException>(() => new Subtract().Call([A(), B(), C()]));
        Assert.Contains("exactly 2 inputs", e.Message);
        Assert.Throws<ArgumentException>(() => new Average().Call([A()]));
    }

    [Fact]
    public void Configs_hold_the_base_config_only()
    {
        foreach (var layer in new Layer[] { new Subtract(name: "s"), new Multiply(name: "m"), new Average(name: "a"), new Maximum(name: "x"), new Minimum(name: "n") })
            Assert.Equal(["name", "trainable", "dtype"], layer.GetConfig().Select(p => p.Key));
    }

    static Functional NewModel(int seed)
    {
        Backend.SetRandomSeed(seed);
        var inputs = Keras.Input([4]);
        var a = new Dense(3).Call(inputs);
        var b = new Dense(3).Call(inputs);
        var c = new Dense(3).Call(inputs);
        var merged = new Concatenate().Call(
            new Subtract().Call(a, b), new Multiply().Call(a, b, c), new Average().Call(a, c), new Maximum().Call(b, c), new Minimum().Call(a, b, c));
        var model = new Functional(inputs, new Dense(1).Call(merged));
        model.Compile(optimizer: "sgd", loss: "mse");
        return model;
    }

    public static TheoryData<string> Paths => new() { "model.h5", "model.keras", "model_dir", "cp" };

    [Theory]
    [MemberData(nameof(Paths))]
    public void Functional_model_with_every_merge_round_trips_through_every_format(string fileName)
    {
        using var dir = new TempDirectory();
        var model = NewModel(9);
        var x = randn(8, 4, generator: new Generator(2));
        model.Fit(x, randn(8, 1, generator: new Generator(3)), batchSize: 4, epochs: 1, verbose: 0);
        var path = dir.Combine(fileName);
        Model loaded;
        if (fileName == "cp")
        {
            model.SaveWeights(path);
            loaded = NewModel(10);
            loaded.LoadWeights(path);
        }
        else
        {
            model.Save(path);
            loaded = Model.Load(path);
            Assert.Equal(model.SummaryText(), loaded.SummaryText());
        }
        PredictionAssert.Same(model, loaded, x);
    }

    [Fact]
    public void Training_through_every_merge_changes_every_weight()
    {
        var model = NewModel(5);
        var before = TutorialModel.WeightValues(model);
        model.Fit(randn(8, 4, generator: new Generator(2)), randn(8, 1, generator: new Generator(4)), batchSize: 8, epochs: 1, verbose: 0);
        WeightAssert.EveryWeightChanged(model, before);
    }
}
