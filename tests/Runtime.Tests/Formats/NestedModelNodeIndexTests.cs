using System.Text.Json.Nodes;
using Layerwise.Formats;
using Layerwise.Formats.Hdf5;
using Layerwise.Layers;
using Layerwise.Models;
using TorchSharp;

namespace Layerwise.Tests.Formats;

/// <summary>
/// Keras numbers the first call of a model nested in a functional model as node 1 (the nested model's
/// own graph is node 0): tf.keras 2.x for functional models and Sequentials with a known input
/// (<c>functional._should_skip_first_node</c>), Keras 3 for functional models (<c>Functional.get_config</c>,
/// <c>kept_nodes = 1</c>; <c>functional_from_config</c> reads it back). Files must say so, and files that
/// say so must load, as must files of earlier Layerwise versions, which counted from 0.
/// </summary>
[Collection(GlobalRandomState.Name)]
public class NestedModelNodeIndexTests
{
    public NestedModelNodeIndexTests() => TutorialModel.SingleThread();

    static Functional Outer()
    {
        var innerInput = Keras.Input([4], name: "inner_in");
        var inner = new Functional(innerInput, new Dense(3, activation: "tanh").Call(innerInput), name: "inner_functional");
        var sequential = new Sequential([new Dense(2, inputShape: [3])], name: "inner_sequential");
        var inputs = Keras.Input([4], name: "outer_in");
        var outputs = sequential.Call(inner.Call(inputs));
        return new Functional(inputs, new Dense(1).Call(outputs), name: "outer");
    }

    /// <summary>The node index of the first reference to <paramref name="layer"/> anywhere in the outer model's inbound nodes.</summary>
    static int NodeIndexOf(JsonObject modelConfig, string layer)
    {
        foreach (var reference in References(modelConfig["config"]!["layers"]!))
            if (reference[0]!.GetValue<string>() == layer) return reference[1]!.GetValue<int>();
        throw new InvalidOperationException($"no reference to {layer}");
    }

    static IEnumerable<JsonArray> References(JsonNode node) => node switch
    {
        JsonArray { Count: 3 or 4 } a when a[0] is JsonValue v && v.TryGetValue<string>(out _) && a[1] is JsonValue => [a],
        JsonArray a => a.Where(i => i is not null).SelectMany(i => References(i!)),
        JsonObject o => o.Where(kv => kv.Key != "config" || kv.Value is not JsonObject { } c || !c.ContainsKey("layers"))
                         .Where(kv => kv.Value is not null).SelectMany(kv => References(kv.Value!)),
        _ => [],
    };

    [Fact]
    public void Keras2_config_counts_nested_functional_and_input_known_sequential_from_one()
    {
        var config = KerasConfigForms.Keras2(Outer());
        Assert.Equal(1, NodeIndexOf(config, "inner_functional"));
        Assert.Equal(1, NodeIndexOf(config, "inner_sequential"));
    }

    [Fact]
    public void Keras3_config_counts_only_nested_functional_from_one()
    {
        var config = KerasConfigForms.Keras3(Outer());
        Assert.Equal(1, NodeIndexOf(config, "inner_functional"));
        Assert.Equal(0, NodeIndexOf(config, "inner_sequential"));
    }

    [Theory]
    [InlineData("model.h5")]
    [InlineData("model.keras")]
    public void Nested_models_round_trip_with_Keras_numbering(string fileName)
    {
        using var dir = new TempDirectory();
        var model = Outer();
        var path = dir.Combine(fileName);
        model.Save(path);
        var loaded = Model.Load(path);
        var x = torch.rand(5, 4);
        PredictionAssert.Same(model, loaded, x);
    }

    [Fact]
    public void Configs_of_earlier_Layerwise_versions_counting_from_zero_still_load()
    {
        var model = Outer();
        var config = KerasConfigForms.Keras2(model);
        foreach (var reference in References(config["config"]!["layers"]!))
            if (reference[0]!.GetValue<string>() is "inner_functional" or "inner_sequential") reference[1] = 0;

        var loaded = Model.FromJson(config.ToJsonString());
        foreach (var (original, copy) in model.Weights.Zip(loaded.Weights)) copy.Assign(original.Value);

        var x = torch.rand(5, 4);
        PredictionAssert.Same(model, loaded, x);
    }
}
