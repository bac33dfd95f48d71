using Layerwise.Layers;
using Layerwise.Models;
using Layerwise.Training.Losses;
using TorchSharp;
using static TorchSharp.torch;

namespace Layerwise.Tests.Models;

/// <summary>
/// A model used as a layer of another (Keras' transfer learning and composition): in a Sequential, called
/// on a symbolic tensor in a functional graph, frozen with <c>Trainable = false</c>. Expected outputs are
/// computed by running the inner model and then the outer layers by hand.
/// </summary>
[Collection(GlobalRandomState.Name)]
public class NestedModelTests
{
    public NestedModelTests() => TutorialModel.SingleThread();

    static Tensor Inputs(int samples = 10) => rand([samples, 8], generator: new Generator(3));

    static void AssertSameBits(Tensor expected, Tensor actual)
    {
        Assert.Equal(expected.shape, actual.shape);
        Assert.True(expected.eq(actual).all().item<bool>(), "outputs differ");
    }

    /// <summary>The inner model's output, then <paramref name="head"/> on it, computed without the outer model.</summary>
    static Tensor ByHand(Model inner, Layer head, Tensor x)
    {
        using var _ = no_grad();
        using var features = inner.Predict(x);
        return head.Call(features, training: false);
    }

    [Fact]
    public void Sequential_holding_a_Sequential_runs_the_inner_model_then_the_head()
    {
        var inner = new Sequential([new Dense(16, activation: "relu", inputShape: [8]), new Dense(6)], name: "nest_seq_base");
        var head = new Dense(3, name: "nest_seq_head");
        var outer = new Sequential(inner, head);

        Assert.True(outer.Built);                       // the input shape came from the inner model's first layer
        Assert.Equal([inner, head], outer.Layers);
        Assert.Equal(16 * 8 + 16 + 6 * 16 + 6 + 6 * 3 + 3, outer.CountParams());
        var x = Inputs();
        using var expected = ByHand(inner, head, x);
        using var actual = outer.Predict(x);
        AssertSameBits(expected, actual);
    }

    [Fact]
    public void Sequential_holding_a_Functional_runs_the_inner_model_then_the_head()
    {
        var img = Keras.Input([8], name: "nest_fs_in");
        var inner = new Functional(img, new Dense(5, activation: "tanh").Call(img), name: "nest_fs_base");
        var head = new Dense(2);
        var outer = new Sequential(inner, head);

        var x = Inputs();
        using var expected = ByHand(inner, head, x);
        using var actual = outer.Predict(x);
        AssertSameBits(expected, actual);
    }

    [Fact]
    public void Model_called_on_a_symbolic_tensor_is_one_node_of_the_outer_graph()
    {
        var baseIn = Keras.Input([8], name: "nest_call_base_in");
        var inner = new Functional(baseIn, new Dense(7, activation: "relu").Call(baseIn), name: "nest_call_base");
        var inputs = Keras.Input([8], name: "nest_call_in");
        var features = inner.Call(inputs);
        var head = new Dense(3, name: "nest_call_head");
        var outer = new Functional(inputs, head.Call(features));

        Assert.Equal([7L], features.Shape);
        Assert.Same(inner, features.Layer);
        Assert.Equal(["nest_call_in", "nest_call_base", "nest_call_head"], outer.Layers.Select(l => l.Name));
        var x = Inputs();
        using var expected = ByHand(inner, head, x);
        using var actual = outer.Predict(x);
        AssertSameBits(expected, actual);
    }

    [Fact]
    public void Unbuilt_Sequential_called_on_a_symbolic_tensor_is_built_for_it()
    {
        var inner = new Sequential(new Dense(4), new Dense(2));
        var inputs = Keras.Input([6]);
        var outputs = inner.Call(inputs);

        Assert.True(inner.Built);
        Assert.Equal([2L], outputs.Shape);
        Assert.Equal(6 * 4 + 4 + 4 * 2 + 2, inner.CountParams());
    }

    [Fact]
    public void A_model_with_two_inputs_is_refused_as_a_layer()
    {
        var a = Keras.Input([3]);
        var b = Keras.Input([3]);
        var twoInputs = new Functional([a, b], [new Add().Call(a, b)]);

        Assert.Throws<NotSupportedException>(() => twoInputs.Call(Keras.Input([3])));
        Assert.Throws<NotSupportedException>(() => new Sequential(twoInputs, new Dense(1)));
    }

    [Fact]
    public void Trainable_false_on_a_model_freezes_all_of_its_layers()
    {
        var inner = new Sequential(new Dense(4, inputShape: [3]), new Dense(4));
        inner.Trainable = false;

        Assert.All(inner.Layers, l => Assert.False(l.Trainable));
        Assert.Empty(inner.TrainableWeights);
        Assert.Equal(4, inner.NonTrainableWeights.Count);
        inner.Trainable = true;
        Assert.All(inner.Layers, l => Assert.True(l.Trainable));
    }

    [Fact]
    public void Fit_with_a_frozen_base_changes_only_the_head_and_keeps_no_optimizer_slots_for_the_base()
    {
        Backend.SetRandomSeed(13);
        // The BatchNormalization's moving statistics stay too: a frozen BatchNormalization runs in inference mode.
        var inner = new Sequential(new Dense(16, activation: "relu", inputShape: [8]), new BatchNormalization(), new Dense(6, activation: "relu"));
        inner.Trainable = false;
        var head = new Dense(3);
        var outer = new Sequential(inner, head);
        outer.Compile("adam", new SparseCategoricalCrossentropy(fromLogits: true));
        var baseBefore = TutorialModel.WeightValues(inner);
        var headBefore = head.Weights.Select(w => { using var c = w.ToCpu(); return c.data<float>().ToArray(); }).ToList();

        outer.Fit(Inputs(32), randint(0, 3, [32], dtype: ScalarType.Int64, generator: new Generator(4)), batchSize: 8, epochs: 2, verbose: 0);

        Assert.Equal(baseBefore, TutorialModel.WeightValues(inner));
        Assert.Equal([.. head.Weights], outer.TrainableWeights);
        Assert.Equal(head.Weights.Count, outer.Optimizer!.SlotVariables.Count);
        foreach (var (w, before) in head.Weights.Zip(headBefore))
        {
            using var now = w.ToCpu();
            Assert.NotEqual(before, now.data<float>().ToArray());
        }
    }
}
