using System.Text.Json.Nodes;
using Layerwise.Layers;
using Layerwise.Models;
using Layerwise.Serialization;

namespace Layerwise.Tests.Serialization;

/// <summary>
/// A nested model's config sits in the outer model's layer list as Keras writes it: its own
/// <c>class_name</c> (Sequential, Functional) and full config, its <c>trainable</c> flag included.
/// </summary>
public class NestedModelConfigTests
{
    [Fact]
    public void Sequential_in_Sequential_config_nests_the_inner_config_and_round_trips()
    {
        var inner = new Sequential([new Dense(4, activation: "relu", inputShape: [3], name: "cfg_nest_dense")], name: "cfg_nest_base");
        inner.Trainable = false;
        var outer = new Sequential([inner, new Dense(2, name: "cfg_nest_head")], name: "cfg_nest_outer");

        var text = ConfigJson.ToText(LayerRegistry.Serialize(outer));
        var config = JsonNode.Parse(text)!;
        var nested = config["config"]!["layers"]![0]!;
        Assert.Equal("Sequential", nested["class_name"]!.GetValue<string>());
        Assert.Equal("cfg_nest_base", nested["config"]!["name"]!.GetValue<string>());
        Assert.False(nested["config"]!["trainable"]!.GetValue<bool>());
        Assert.Equal("Dense", nested["config"]!["layers"]![0]!["class_name"]!.GetValue<string>());
        Assert.False(nested["config"]!["layers"]![0]!["config"]!["trainable"]!.GetValue<bool>());

        var restored = Assert.IsType<Sequential>(LayerRegistry.Deserialize(JsonNode.Parse(text)));
        var restoredInner = Assert.IsType<Sequential>(restored.Layers[0]);
        Assert.False(restoredInner.Trainable);
        Assert.All(restoredInner.Layers, l => Assert.False(l.Trainable));
        Assert.Equal(text, ConfigJson.ToText(LayerRegistry.Serialize(restored)));
    }

    static Functional FunctionalWithNestedFunctional()
    {
        var baseIn = Keras.Input([5], name: "cfg_fn_base_in");
        var inner = new Functional(baseIn, new Dense(3, name: "cfg_fn_dense").Call(baseIn), name: "cfg_fn_base");
        var inputs = Keras.Input([5], name: "cfg_fn_in");
        return new Functional(inputs, new Dense(2, name: "cfg_fn_head").Call(inner.Call(inputs)), name: "cfg_fn_outer");
    }

    [Theory]
    [InlineData(FunctionalConfigForm.Keras3)]
    [InlineData(FunctionalConfigForm.Keras2)]
    public void Functional_in_Functional_config_nests_the_inner_graph_in_the_same_form(FunctionalConfigForm form)
    {
        var outer = FunctionalWithNestedFunctional();

        var config = outer.GetConfig(form);
        var nested = config["layers"]![1]!;
        Assert.Equal("Functional", nested["class_name"]!.GetValue<string>());
        Assert.Equal("cfg_fn_base", nested["name"]!.GetValue<string>());
        var innerDense = nested["config"]!["layers"]![1]!;
        Assert.Equal("cfg_fn_dense", innerDense["name"]!.GetValue<string>());
        // Keras 2 nodes are lists of [layer, node, tensor, kwargs]; Keras 3 nodes are {"args", "kwargs"}.
        if (form == FunctionalConfigForm.Keras2)
        {
            Assert.Equal("""[[["cfg_fn_base_in",0,0,{}]]]""", innerDense["inbound_nodes"]!.ToJsonString());
            Assert.Equal("""[[["cfg_fn_in",0,0,{}]]]""", nested["inbound_nodes"]!.ToJsonString());
        }
        else
        {
            Assert.Equal("cfg_fn_base_in", innerDense["inbound_nodes"]![0]!["args"]![0]!["config"]!["keras_history"]![0]!.GetValue<string>());
            Assert.Equal("cfg_fn_in", nested["inbound_nodes"]![0]!["args"]![0]!["config"]!["keras_history"]![0]!.GetValue<string>());
        }

        var restored = Functional.FromConfig(JsonNode.Parse(config.ToJsonString())!.AsObject());
        Assert.Equal(["cfg_fn_in", "cfg_fn_base", "cfg_fn_head"], restored.Layers.Select(l => l.Name));
        Assert.IsType<Functional>(restored.Layers[1]);
        Assert.Equal(outer.CountParams(), restored.CountParams());
    }

    [Fact]
    public void Keras_2_0_class_name_Model_loads_from_json_as_a_nested_functional_model()
    {
        var config = FunctionalWithNestedFunctional().GetConfig(FunctionalConfigForm.Keras2);
        config["layers"]![1]!["class_name"] = "Model";

        // Files are read through Model.FromJson's upgrades, which rename Keras 2.0-2.3's "Model" at any depth.
        var json = new JsonObject { ["class_name"] = "Functional", ["config"] = config }.ToJsonString();
        var restored = Assert.IsType<Functional>(Model.FromJson(json));

        Assert.IsType<Functional>(restored.Layers[1]);
    }
}
