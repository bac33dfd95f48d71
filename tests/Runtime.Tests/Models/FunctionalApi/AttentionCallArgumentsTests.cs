using Layerwise.Layers;
using Layerwise.Models;
using Layerwise.Serialization;
using TorchSharp;
using static TorchSharp.torch;

namespace Layerwise.Tests.Models.FunctionalApi;

/// <summary>
/// Functional configs where MultiHeadAttention is called with separate query, value and key tensors, as
/// tf.keras 2 and Keras 3 write them: tf.keras turns the arguments after the first into kwargs
/// (<c>mha(q, v)</c> is <c>[["q", 0, 0, {"value": ["v", 0, 0]}]]</c>, Keras' <c>Node.serialize</c>); Keras 3
/// keeps them as written (<c>{"args": [q, v]}</c> or <c>{"kwargs": {"query": q, "value": v}}</c>).
/// </summary>
public class AttentionCallArgumentsTests
{
    public AttentionCallArgumentsTests() => torch.set_num_threads(1);

    static string Tensor(string layer) =>
        $$$"""{"class_name": "__keras_tensor__", "config": {"shape": [null, 3, 8], "dtype": "float32", "keras_history": ["{{{layer}}}", 0, 0]}}""";

    /// <summary>Inputs q [3, 8], v [5, 8], k [5, 8] and a MultiHeadAttention node written as <paramref name="node"/>.</summary>
    static string Config(string node, string layerClass = "MultiHeadAttention", string layerConfig = """{"name": "mha", "num_heads": 2, "key_dim": 4}""") => $$$"""
        {"class_name": "Functional", "config": {"name": "m", "layers": [
          {"class_name": "InputLayer", "config": {"batch_input_shape": [null, 3, 8], "name": "q"}, "name": "q", "inbound_nodes": []},
          {"class_name": "InputLayer", "config": {"batch_input_shape": [null, 5, 8], "name": "v"}, "name": "v", "inbound_nodes": []},
          {"class_name": "InputLayer", "config": {"batch_input_shape": [null, 5, 8], "name": "k"}, "name": "k", "inbound_nodes": []},
          {"class_name": "{{{layerClass}}}", "config": {{{layerConfig}}}, "name": "mha", "inbound_nodes": [{{{node}}}]}],
          "input_layers": [["q", 0, 0], ["v", 0, 0], ["k", 0, 0]], "output_layers": [["mha", 0, 0]]}}
        """;

    /// <summary>The loaded model's output, and the same attention layer called directly on <paramref name="direct"/>.</summary>
    static (Tensor Model, Tensor Direct) Outputs(string json, Func<Tensor, Tensor, Tensor, Tensor[]> direct)
    {
        var model = (Functional)Model.FromJson(json);
        var q = randn(2, 3, 8, generator: new Generator(1));
        var v = randn(2, 5, 8, generator: new Generator(2));
        var k = randn(2, 5, 8, generator: new Generator(3));
        var layer = (MultiHeadAttention)model.Layers.Single(l => l.Name == "mha");
        return (model.Predict([q, v, k]).Single(), layer.Call(direct(q, v, k)));
    }

    [Theory]
    [InlineData("""[["q", 0, 0, {"value": ["v", 0, 0]}]]""")]                                   // tf.keras 2: mha(q, v)
    [InlineData("""{"args": [Q, V], "kwargs": {}}""")]                                         // Keras 3: mha(q, v)
    [InlineData("""{"args": [], "kwargs": {"query": Q, "value": V}}""")]                       // Keras 3: mha(query=q, value=v)
    public void A_value_passed_apart_from_the_query_is_attended_over(string node)
    {
        var (model, direct) = Outputs(Config(node.Replace("Q", Tensor("q")).Replace("V", Tensor("v"))), (q, v, _) => [q, v]);
        Assert.Equal([2L, 3, 8], model.shape);
        Assert.True(model.equal(direct).all().item<bool>(), "the loaded node must call the layer on [query, value]");
    }

    [Theory]
    [InlineData("""[["q", 0, 0, {"key": ["k", 0, 0], "value": ["v", 0, 0]}]]""")]             // tf.keras 2, kwargs in another order
    [InlineData("""{"args": [Q, V, K], "kwargs": {}}""")]                                      // Keras 3: mha(q, v, k)
    [InlineData("""{"args": [Q, V], "kwargs": {"key": K}}""")]                                 // Keras 3: mha(q, v, key=k)
    public void A_separate_key_is_the_third_input(string node)
    {
        var (model, direct) = Outputs(Config(node.Replace("Q", Tensor("q")).Replace("V", Tensor("v")).Replace("K", Tensor("k"))), (q, v, k) => [q, v, k]);
        Assert.True(model.equal(direct).all().item<bool>(), "the loaded node must call the layer on [query, value, key]");
        // The key changes the result, so a reader that dropped it (attending with keys from the value) fails the check above.
        var (_, withoutKey) = Outputs(Config(node.Replace("Q", Tensor("q")).Replace("V", Tensor("v")).Replace("K", Tensor("k"))), (q, v, _) => [q, v]);
        Assert.False(model.allclose(withoutKey), "the key must change the output for this check to mean anything");
    }

    [Theory]
    [InlineData(FunctionalConfigForm.Keras2, """[["q",0,0,{"value":["v",0,0],"key":["k",0,0]}]]""")]
    [InlineData(FunctionalConfigForm.Keras3, null)]
    public void A_model_calling_attention_on_query_value_and_key_is_written_as_Keras_writes_it_and_read_back(FunctionalConfigForm form, string? keras2Node)
    {
        var q = Keras.Input([3, 8], name: "q");
        var v = Keras.Input([5, 8], name: "v");
        var k = Keras.Input([5, 8], name: "k");
        var model = new Functional([q, v, k], [new MultiHeadAttention(numHeads: 2, keyDim: 4, name: "mha").Call([q, v, k])], name: "m");
        var config = model.GetConfig(form);
        var node = config["layers"]!.AsArray().Single(l => l!["name"]!.GetValue<string>() == "mha")!["inbound_nodes"]![0]!;
        if (keras2Node is not null) Assert.Equal(keras2Node, node.ToJsonString());
        else
        {
            // Keras 3: three positional arguments, each a __keras_tensor__ (not one list argument).
            var args = node["args"]!.AsArray();
            Assert.Equal(["q", "v", "k"], args.Select(a => a!["config"]!["keras_history"]![0]!.GetValue<string>()));
        }

        var restored = Functional.FromConfig(config);
        var source = (MultiHeadAttention)model.Layers.Single(l => l.Name == "mha");
        var copy = (MultiHeadAttention)restored.Layers.Single(l => l.Name == "mha");
        var inputs = new[] { randn(2, 3, 8, generator: new Generator(4)), randn(2, 5, 8, generator: new Generator(5)), randn(2, 5, 8, generator: new Generator(6)) };
        model.Predict(inputs);
        restored.Predict(inputs);
        foreach (var (from, to) in source.Weights.Zip(copy.Weights)) to.Assign(from.Value);
        Assert.True(restored.Predict(inputs).Single().equal(model.Predict(inputs).Single()).all().item<bool>());
    }

    [Fact]
    public void Use_causal_mask_in_the_call_is_set_on_the_layer()
    {
        var model = (Functional)Model.FromJson(Config("""[["q", 0, 0, {"value": ["q", 0, 0], "use_causal_mask": true}]]"""));
        Assert.True(((MultiHeadAttention)model.Layers.Single(l => l.Name == "mha")).UseCausalMask);
        var plain = (Functional)Model.FromJson(Config("""[["q", 0, 0, {"value": ["q", 0, 0], "return_attention_scores": false, "attention_mask": null}]]"""));
        Assert.False(((MultiHeadAttention)plain.Layers.Single(l => l.Name == "mha")).UseCausalMask);
    }

    [Fact]
    public void A_value_tensor_given_to_another_layer_is_refused()
    {
        var e = Assert.ThrowsAny<LayerwiseException>(() => Model.FromJson(Config("""[["q", 0, 0, {"value": ["v", 0, 0]}]]""", "Dense", """{"name": "mha", "units": 2}""")));
        Assert.Contains("only MultiHeadAttention takes here", e.Message);
    }

    [Theory]
    [InlineData("""[["q", 0, 0, {"value": ["v", 0, 0], "return_attention_scores": true}]]""", "return_attention_scores")]
    [InlineData("""[["q", 0, 0, {"key": ["k", 0, 0]}]]""", "no value tensor")]
    [InlineData("""[["q", 0, 0, {"value": ["v", 0, 0], "attention_mask": ["k", 0, 0]}]]""", "attention_mask")]
    public void Calls_that_would_compute_something_else_are_refused(string node, string expected)
    {
        var e = Assert.ThrowsAny<LayerwiseException>(() => Model.FromJson(Config(node)));
        Assert.Contains(expected, e.Message);
    }
}
