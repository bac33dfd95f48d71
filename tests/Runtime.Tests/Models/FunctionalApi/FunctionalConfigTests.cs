using System.Text.Json.Nodes;
using Layerwise.Formats;
using Layerwise.Layers;
using Layerwise.Models;
using Layerwise.Serialization;
using static TorchSharp.torch;

namespace Layerwise.Tests.Models.FunctionalApi;

/// <summary>
/// Functional configs in Keras 2's and Keras 3's shapes: written, read back and written again
/// unchanged; configs as Keras writes them (hand-written here from tf.keras 2.8's, Keras 2.2.4's and
/// Keras 3's <c>get_config</c>) load into the graph they describe; bad graphs are errors that say
/// where and what was expected.
/// </summary>
public class FunctionalConfigTests
{
    static Functional TwoBranchModel()
    {
        var img = Keras.Input([4], name: "cfg_img");
        var a = new Dense(3, activation: "relu", name: "cfg_a").Call(img);
        var b = new Dense(3, name: "cfg_b").Call(img);
        var joined = new Concatenate(name: "cfg_join").Call(new Add(name: "cfg_add").Call(a, b), img);
        return new Functional(img, new Dense(2, name: "cfg_out").Call(joined), name: "cfg_model");
    }

    [Fact]
    public void Keras_3_config_round_trips_unchanged()
    {
        var model = TwoBranchModel();
        var first = ConfigJson.ToText(LayerRegistry.Serialize(model));

        var restored = LayerRegistry.Deserialize<Functional>(JsonNode.Parse(first));

        Assert.Equal(first, ConfigJson.ToText(LayerRegistry.Serialize(restored)));
        var add = model.GetConfig()["layers"]!.AsArray().Single(l => l!["name"]!.GetValue<string>() == "cfg_add")!;
        Assert.Equal("""[{"args":[[{"class_name":"__keras_tensor__","config":{"shape":[null,3],"dtype":"float32","keras_history":["cfg_a",0,0]}},{"class_name":"__keras_tensor__","config":{"shape":[null,3],"dtype":"float32","keras_history":["cfg_b",0,0]}}]],"kwargs":{}}]""",
                     add["inbound_nodes"]!.ToJsonString());
        Assert.Equal("""["cfg_img",0,0]""", model.GetConfig()["input_layers"]!.ToJsonString());
    }

    [Fact]
    public void Keras_2_config_round_trips_unchanged_through_FromJson()
    {
        var model = TwoBranchModel();
        var first = ConfigJson.ToText(new JsonObject { ["class_name"] = "Functional", ["config"] = model.GetConfig(FunctionalConfigForm.Keras2) });

        var restored = Assert.IsType<Functional>(Model.FromJson(first));

        Assert.Equal(first, ConfigJson.ToText(new JsonObject { ["class_name"] = "Functional", ["config"] = restored.GetConfig(FunctionalConfigForm.Keras2) }));
        var config = model.GetConfig(FunctionalConfigForm.Keras2);
        Assert.Equal("""[[["cfg_add",0,0,{}],["cfg_img",0,0,{}]]]""", config["layers"]![4]!["inbound_nodes"]!.ToJsonString());
        Assert.Equal("""[["cfg_img",0,0]]""", config["input_layers"]!.ToJsonString());
        Assert.Equal("[null,4]", config["layers"]![0]!["config"]!["batch_input_shape"]!.ToJsonString());
    }

    [Theory]
    [InlineData(FunctionalConfigForm.Keras2)]
    [InlineData(FunctionalConfigForm.Keras3)]
    public void A_layer_shared_at_two_depths_is_replayed_over_several_passes(FunctionalConfigForm form)
    {
        // shared(dense(shared(x))): the shared layer's second call reads a node created after its first.
        var x = Keras.Input([3], name: "depth_in");
        var shared = new Dense(3, activation: "tanh", name: "depth_shared");
        var middle = new Dense(3, name: "depth_middle");
        var model = new Functional(x, shared.Call(middle.Call(shared.Call(x))));
        var json = ConfigJson.ToText(new JsonObject { ["class_name"] = "Functional", ["config"] = model.GetConfig(form) });

        var restored = Assert.IsType<Functional>(Model.FromJson(json));
        foreach (var (from, to) in model.Weights.Zip(restored.Weights)) to.Assign(from.Value);

        Assert.Equal(["depth_in", "depth_shared", "depth_middle"], restored.Layers.Select(l => l.Name));
        Assert.Equal(2, restored.Layers[1].InboundNodes.Count);
        Assert.Equal(json, ConfigJson.ToText(new JsonObject { ["class_name"] = "Functional", ["config"] = restored.GetConfig(form) }));
        using var input = randn([4, 3]);
        Assert.True(model.Predict(input).eq(restored.Predict(input)).all().item<bool>());
    }

    // tf.keras 2.8's model.to_json() for: img = Input((4,)); Dense(3, relu), Dense(3) on img; Add; Dense(2).
    const string TfKeras28Json = """
        {"class_name": "Functional", "config": {"name": "model", "layers": [
          {"class_name": "InputLayer", "config": {"batch_input_shape": [null, 4], "dtype": "float32", "sparse": false, "ragged": false, "name": "img"}, "name": "img", "inbound_nodes": []},
          {"class_name": "Dense", "config": {"name": "dense", "trainable": true, "dtype": "float32", "units": 3, "activation": "relu", "use_bias": true,
            "kernel_initializer": {"class_name": "GlorotUniform", "config": {"seed": null}}, "bias_initializer": {"class_name": "Zeros", "config": {}},
            "kernel_regularizer": null, "bias_regularizer": null, "activity_regularizer": null, "kernel_constraint": null, "bias_constraint": null},
           "name": "dense", "inbound_nodes": [[["img", 0, 0, {}]]]},
          {"class_name": "Dense", "config": {"name": "dense_1", "trainable": true, "dtype": "float32", "units": 3, "activation": "linear", "use_bias": true,
            "kernel_initializer": {"class_name": "GlorotUniform", "config": {"seed": null}}, "bias_initializer": {"class_name": "Zeros", "config": {}},
            "kernel_regularizer": null, "bias_regularizer": null, "activity_regularizer": null, "kernel_constraint": null, "bias_constraint": null},
           "name": "dense_1", "inbound_nodes": [[["img", 0, 0, {}]]]},
          {"class_name": "Add", "config": {"name": "add", "trainable": true, "dtype": "float32"}, "name": "add", "inbound_nodes": [[["dense", 0, 0, {}], ["dense_1", 0, 0, {}]]]},
          {"class_name": "Dense", "config": {"name": "dense_2", "trainable": true, "dtype": "float32", "units": 2, "activation": "linear", "use_bias": true,
            "kernel_initializer": {"class_name": "GlorotUniform", "config": {"seed": null}}, "bias_initializer": {"class_name": "Zeros", "config": {}},
            "kernel_regularizer": null, "bias_regularizer": null, "activity_regularizer": null, "kernel_constraint": null, "bias_constraint": null},
           "name": "dense_2", "inbound_nodes": [[["add", 0, 0, {}]]]}],
         "input_layers": [["img", 0, 0]], "output_layers": [["dense_2", 0, 0]]},
         "keras_version": "2.8.0", "backend": "tensorflow"}
        """;

    [Fact]
    public void A_tf_keras_2_config_loads_into_the_graph_it_describes()
    {
        var model = Assert.IsType<Functional>(Model.FromJson(TfKeras28Json));

        Assert.Equal("model", model.Name);
        Assert.Equal(["img", "dense", "dense_1", "add", "dense_2"], model.Layers.Select(l => l.Name));
        Assert.Equal(["InputLayer", "Dense", "Dense", "Add", "Dense"], model.Layers.Select(l => l.ClassName));
        var written = model.GetConfig(FunctionalConfigForm.Keras2);
        var original = JsonNode.Parse(TfKeras28Json)!["config"]!;
        for (int i = 0; i < 5; i++)
            Assert.Equal(original["layers"]![i]!["inbound_nodes"]!.ToJsonString(), written["layers"]![i]!["inbound_nodes"]!.ToJsonString());
        Assert.Equal(original["input_layers"]!.ToJsonString(), written["input_layers"]!.ToJsonString());
        Assert.Equal(original["output_layers"]!.ToJsonString(), written["output_layers"]!.ToJsonString());
        using var x = randn([3, 4]);
        Assert.Equal([3L, 2L], model.Predict(x).shape);
    }

    [Fact]
    public void A_Keras_2_2_config_named_Model_loads()
    {
        const string keras22 = """
            {"class_name": "Model", "config": {"name": "model_1", "layers": [
              {"name": "input_1", "class_name": "InputLayer", "config": {"batch_input_shape": [null, 3], "dtype": "float32", "sparse": false, "name": "input_1"}, "inbound_nodes": []},
              {"name": "dense_1", "class_name": "Dense", "config": {"name": "dense_1", "trainable": true, "units": 2, "activation": "tanh", "use_bias": true,
                "kernel_initializer": {"class_name": "VarianceScaling", "config": {"scale": 1.0, "mode": "fan_avg", "distribution": "uniform", "seed": null}},
                "bias_initializer": {"class_name": "Zeros", "config": {}}}, "inbound_nodes": [[["input_1", 0, 0, {}]]]},
              {"name": "concatenate_1", "class_name": "Concatenate", "config": {"name": "concatenate_1", "trainable": true, "axis": -1},
               "inbound_nodes": [[["dense_1", 0, 0, {}], ["input_1", 0, 0, {}]]]}],
             "input_layers": [["input_1", 0, 0]], "output_layers": [["concatenate_1", 0, 0]]}, "keras_version": "2.2.4", "backend": "tensorflow"}
            """;

        var model = Assert.IsType<Functional>(Model.FromJson(keras22));

        Assert.Equal(["input_1", "dense_1", "concatenate_1"], model.Layers.Select(l => l.Name));
        Assert.Equal([5L], model.Outputs[0].Shape);
        Assert.Equal("tanh", ((Dense)model.Layers[1]).Activation);
    }

    [Fact]
    public void A_Keras_3_config_with_keras_tensors_loads()
    {
        const string keras3 = """
            {"module": "keras.src.models.functional", "class_name": "Functional", "config": {"name": "functional", "trainable": true, "layers": [
              {"module": "keras.layers", "class_name": "InputLayer", "config": {"batch_shape": [null, 2], "dtype": "float32", "sparse": false, "name": "input_layer"},
               "registered_name": null, "name": "input_layer", "inbound_nodes": []},
              {"module": "keras.layers", "class_name": "Dense", "config": {"name": "dense", "trainable": true,
                "dtype": {"module": "keras", "class_name": "DTypePolicy", "config": {"name": "float32"}, "registered_name": null}, "units": 2, "activation": "linear",
                "use_bias": true, "kernel_initializer": {"module": "keras.initializers", "class_name": "GlorotUniform", "config": {"seed": null}, "registered_name": null},
                "bias_initializer": {"module": "keras.initializers", "class_name": "Zeros", "config": {}, "registered_name": null},
                "kernel_regularizer": null, "bias_regularizer": null, "kernel_constraint": null, "bias_constraint": null},
               "registered_name": null, "build_config": {"input_shape": [null, 2]}, "name": "dense",
               "inbound_nodes": [{"args": [{"class_name": "__keras_tensor__", "config": {"shape": [null, 2], "dtype": "float32", "keras_history": ["input_layer", 0, 0]}}], "kwargs": {}}]},
              {"module": "keras.layers", "class_name": "Add", "config": {"name": "add", "trainable": true,
                "dtype": {"module": "keras", "class_name": "DTypePolicy", "config": {"name": "float32"}, "registered_name": null}},
               "registered_name": null, "build_config": {"input_shape": [[null, 2], [null, 2]]}, "name": "add",
               "inbound_nodes": [{"args": [[{"class_name": "__keras_tensor__", "config": {"shape": [null, 2], "dtype": "float32", "keras_history": ["dense", 0, 0]}},
                                            {"class_name": "__keras_tensor__", "config": {"shape": [null, 2], "dtype": "float32", "keras_history": ["input_layer", 0, 0]}}]], "kwargs": {}}]}],
             "input_layers": ["input_layer", 0, 0], "output_layers": ["add", 0, 0]},
             "registered_name": "Functional", "build_config": {"input_shape": null}}
            """;

        var model = Assert.IsType<Functional>(Model.FromJson(keras3));

        Assert.Equal(["input_layer", "dense", "add"], model.Layers.Select(l => l.Name));
        using var x = randn([5, 2]);
        var dense = (Dense)model.Layers[1];
        using var expected = x.matmul(dense.Kernel.Value).add(dense.Bias!.Value).add(x);
        Assert.True(model.Predict(x).allclose(expected, rtol: 1e-6, atol: 1e-6));
    }

    /// <summary>A minimal Keras 2 config: in -> a -> b, with <paramref name="edit"/> applied to its JSON.</summary>
    static string Config(Action<JsonObject> edit)
    {
        var config = JsonNode.Parse("""
            {"class_name": "Functional", "config": {"name": "broken", "layers": [
              {"class_name": "InputLayer", "config": {"batch_input_shape": [null, 2], "name": "in"}, "name": "in", "inbound_nodes": []},
              {"class_name": "Dense", "config": {"name": "a", "units": 2}, "name": "a", "inbound_nodes": [[["in", 0, 0, {}]]]},
              {"class_name": "Dense", "config": {"name": "b", "units": 2}, "name": "b", "inbound_nodes": [[["a", 0, 0, {}]]]}],
             "input_layers": [["in", 0, 0]], "output_layers": [["b", 0, 0]]}}
            """)!.AsObject();
        edit(config["config"]!.AsObject());
        return config.ToJsonString();
    }

    public static TheoryData<string, string, string> BadConfigs => new()
    {
        { "unknown_inbound_layer", "Functional.config.layers[2].inbound_nodes[0][0]", "unknown layer \"ghost\": expected the name of a layer listed in Functional.config.layers (\"in\", \"a\", \"b\")" },
        { "cycle", "Functional.config.layers[1].inbound_nodes[0]", "the inbound_nodes form a cycle" },
        { "missing_output", "Functional.config.output_layers[0]", "unknown layer \"nowhere\"" },
        { "output_node_out_of_range", "Functional.config.output_layers[0]", "node 3 does not exist" },
        { "no_layers", "Functional.config.layers", "expected the list of the model's layers" },
        { "keyword_arguments", "Functional.config.layers[1].inbound_nodes[0][0][3].mask", "calls with this keyword argument are not supported" },
        { "input_not_an_input_layer", "Functional.config.input_layers[0]", "expected an InputLayer; \"a\" is a Dense" },
    };

    static void Break(string which, JsonObject c)
    {
        var layers = c["layers"]?.AsArray();
        switch (which)
        {
            case "unknown_inbound_layer": layers![2]!["inbound_nodes"] = JsonNode.Parse("""[[["ghost", 0, 0, {}]]]"""); break;
            case "cycle": layers![1]!["inbound_nodes"] = JsonNode.Parse("""[[["b", 0, 0, {}]]]"""); break;
            case "missing_output": c["output_layers"] = JsonNode.Parse("""[["nowhere", 0, 0]]"""); break;
            case "output_node_out_of_range": c["output_layers"] = JsonNode.Parse("""[["b", 3, 0]]"""); break;
            case "no_layers": c.Remove("layers"); break;
            case "keyword_arguments": layers![1]!["inbound_nodes"] = JsonNode.Parse("""[[["in", 0, 0, {"mask": [1]}]]]"""); break;
            case "input_not_an_input_layer": c["input_layers"] = JsonNode.Parse("""[["a", 0, 0]]"""); break;
        }
    }

    [Theory]
    [MemberData(nameof(BadConfigs))]
    public void A_bad_graph_is_a_config_error_naming_where_and_what_was_expected(string which, string path, string message)
    {
        var json = Config(c => Break(which, c));

        var config = Assert.Throws<ConfigException>(() => LayerRegistry.Deserialize(JsonNode.Parse(json)));
        Assert.Equal(path, config.Path);
        Assert.Contains(message, config.Message);

        var file = Assert.Throws<ModelFileException>(() => Model.FromJson(json));
        Assert.Contains(path, file.Message);
        Assert.Contains(message, file.Message);
    }

    [Fact]
    public void An_unknown_layer_class_and_a_Lambda_are_refused()
    {
        var unknown = Config(c => c["layers"]![1]!["class_name"] = "Dense3000");
        var e = Assert.Throws<UnsupportedLayersException>(() => Model.FromJson(unknown));
        Assert.Contains("Unknown layer: 'Dense3000'", e.Message);

        var lambda = Config(c => c["layers"]![1]!["class_name"] = "Lambda");
        Assert.Throws<LambdaLayerException>(() => Model.FromJson(lambda));
    }
}
