using Layerwise.Layers;
using Layerwise.Models;
using Layerwise.Training.Losses;
using static TorchSharp.torch;

namespace Layerwise.Tests.Models;

/// <summary>Layers and models free their native tensors on Dispose, once, and refuse use afterwards.</summary>
public class DisposeTests
{
    static (Sequential Model, Tensor X, Tensor Y) Trained()
    {
        var model = new Sequential(new Dense(3, inputShape: [4]), new Dense(2));
        model.Compile("adam", new MeanSquaredError());
        var (x, y) = (rand([8, 4]), rand([8, 2]));
        model.Fit(x, y, epochs: 1, verbose: 0);
        return (model, x, y);
    }

    [Fact]
    public void Disposing_a_model_frees_every_weight_and_the_optimizer_slots()
    {
        var (model, _, _) = Trained();
        var parameters = model.Weights.Select(w => w.Value).ToList();
        var slots = model.Optimizer!.SlotVariables.SelectMany(v => model.Optimizer.SlotNames.Select(n => model.Optimizer.GetSlot(v, n))).ToList();
        Assert.Equal(4, parameters.Count);
        Assert.Equal(8, slots.Count);   // Adam: m and v per weight
        Assert.All(parameters, p => Assert.False(p.IsInvalid));

        model.Dispose();

        Assert.All(parameters, p => Assert.True(p.IsInvalid, "the weight's native handle is released"));
        Assert.All(slots, s => Assert.True(s.IsInvalid, "the optimizer slot's native handle is released"));
        Assert.Empty(model.Optimizer.SlotVariables);
        Assert.True(model.IsDisposed);
        Assert.All(model.Layers, l => Assert.True(l.IsDisposed));
        Assert.All(model.Weights, w => Assert.True(w.IsDisposed));
    }

    [Fact]
    public void Disposing_twice_is_safe()
    {
        var (model, _, _) = Trained();
        model.Dispose();
        model.Dispose();
        model.Layers[0].Dispose();
        Assert.True(model.IsDisposed);
    }

    [Fact]
    public void Use_after_dispose_is_an_ObjectDisposedException_naming_what_was_disposed()
    {
        var (model, x, y) = Trained();
        model.Dispose();
        var predict = Assert.Throws<ObjectDisposedException>(() => model.Predict(x));
        Assert.Contains($"Sequential \"{model.Name}\" has been disposed", predict.Message);
        Assert.Throws<ObjectDisposedException>(() => model.Fit(x, y, verbose: 0));
        Assert.Throws<ObjectDisposedException>(() => model.Evaluate(x, y, verbose: 0));
        Assert.Throws<ObjectDisposedException>(() => model.SaveWeights(Path.Combine(Path.GetTempPath(), "never-written.weights.h5")));
        var weight = Assert.Throws<ObjectDisposedException>(() => model.Weights[0].Value);
        Assert.Contains($"Variable \"{model.Weights[0].Path}\"", weight.Message);
        Assert.Throws<ObjectDisposedException>(() => model.Layers[0].Invoke(x));
    }

    [Fact]
    public void A_layer_shared_by_two_branches_of_a_functional_model_is_disposed_once()
    {
        var shared = new Dense(4, name: "shared_dense_dispose");
        var a = Keras.Input([4]);
        var b = Keras.Input([4]);
        var model = new Functional([a, b], [shared.Call(a), shared.Call(b)]);
        var kernel = shared.Weights[0].Value;
        model.Dispose();
        Assert.True(shared.IsDisposed);
        Assert.True(kernel.IsInvalid);
    }

    [Fact]
    public void A_nested_model_is_disposed_with_its_outer_model()
    {
        var inner = new Sequential(new Dense(3, inputShape: [4]));
        var outer = new Sequential(inner, new Dense(1));
        outer.EnsureBuilt([4]);
        var kernel = inner.Weights[0].Value;
        outer.Dispose();
        Assert.True(inner.IsDisposed);
        Assert.True(kernel.IsInvalid);
    }

    [Fact]
    public void Predict_returns_a_tensor_the_caller_owns_that_outlives_the_model()
    {
        var (model, x, _) = Trained();
        var prediction = model.Predict(x);
        model.Dispose();
        Assert.False(prediction.IsInvalid);
        Assert.Equal([8L, 2], prediction.shape);
        prediction.Dispose();
    }
}
