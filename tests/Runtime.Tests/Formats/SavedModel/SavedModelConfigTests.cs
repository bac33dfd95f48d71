using System.Text.Json.Nodes;
using Layerwise.Formats.SavedModel;

namespace Layerwise.Tests.Formats.SavedModel;

/// <summary>tf.keras' JSON conventions in keras_metadata.pb and the input shapes Keras' SavedModel loader resolves.</summary>
public class SavedModelConfigTests
{
    [Fact]
    public void Tuples_and_TensorShapes_become_lists_and_shared_object_ids_are_dropped()
    {
        var decoded = SavedModelConfig.Decode(JsonNode.Parse("""
            {"batch_input_shape": {"class_name": "__tuple__", "items": [null, 24, 1]},
             "kernel_initializer": {"class_name": "GlorotUniform", "config": {"seed": null}, "shared_object_id": 1},
             "build_input_shape": {"class_name": "TensorShape", "items": [null, 24, 1]},
             "nested": [{"class_name": "__tuple__", "items": [{"class_name": "__tuple__", "items": [1, 2]}]}]}
            """));
        var expected = JsonNode.Parse("""
            {"batch_input_shape": [null, 24, 1], "kernel_initializer": {"class_name": "GlorotUniform", "config": {"seed": null}},
             "build_input_shape": [null, 24, 1], "nested": [[[1, 2]]]}
            """);
        Assert.Equal(expected!.ToJsonString(), decoded!.ToJsonString());
    }

    [Fact]
    public void Sequential_input_of_unknown_width_takes_the_first_layers_build_shape()
    {
        var config = (JsonObject)JsonNode.Parse("""
            {"class_name": "Sequential", "config": {"name": "s", "layers": [
              {"class_name": "InputLayer", "config": {"batch_input_shape": [null, null], "name": "in"}},
              {"class_name": "Normalization", "config": {"batch_input_shape": [null, null], "name": "n"}},
              {"class_name": "Dense", "config": {"batch_input_shape": [null, 2], "name": "d"}}]}}
            """)!;
        SavedModelConfig.ResolveUnknownInputShapes(config, new JsonArray(null, 2));
        var layers = config["config"]!["layers"]!.AsArray();
        Assert.Equal("[null,2]", layers[0]!["config"]!["batch_input_shape"]!.ToJsonString());
        Assert.False(layers[1]!["config"]!.AsObject().ContainsKey("batch_input_shape"));   // unknown, and not where the input comes from
        Assert.Equal("[null,2]", layers[2]!["config"]!["batch_input_shape"]!.ToJsonString());   // known: left as written
    }

    [Fact]
    public void Functional_layers_lose_only_unknown_batch_input_shapes()
    {
        var config = (JsonObject)JsonNode.Parse("""
            {"class_name": "Functional", "config": {"name": "f", "layers": [
              {"class_name": "InputLayer", "config": {"batch_input_shape": [null, null], "name": "text"}},
              {"class_name": "Embedding", "config": {"batch_input_shape": [null, null], "name": "e"}}]}}
            """)!;
        SavedModelConfig.ResolveUnknownInputShapes(config, new JsonArray(null, 97));
        var layers = config["config"]!["layers"]!.AsArray();
        Assert.Equal("[null,null]", layers[0]!["config"]!["batch_input_shape"]!.ToJsonString());   // a functional input stays as declared
        Assert.False(layers[1]!["config"]!.AsObject().ContainsKey("batch_input_shape"));
    }
}
