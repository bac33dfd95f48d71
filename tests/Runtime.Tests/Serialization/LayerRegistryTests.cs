using Layerwise.Layers;
using Layerwise.Models;
using Layerwise.Serialization;

namespace Layerwise.Tests.Serialization;

public class LayerRegistryTests
{
    [Theory]
    [InlineData("Dense", typeof(Dense))]
    [InlineData("Layerwise>Dense", typeof(Dense))]
    [InlineData("Dropout", typeof(Dropout))]
    [InlineData("Flatten", typeof(Flatten))]
    [InlineData("Activation", typeof(Activation))]
    [InlineData("InputLayer", typeof(InputLayer))]
    [InlineData("Sequential", typeof(Sequential))]
    [InlineData("Layerwise.Tests>Antirectifier", typeof(Antirectifier))]
    [InlineData("Antirectifier", typeof(Antirectifier))]
    [InlineData("Tests>EveryKind", typeof(EveryKindLayer))]
    [InlineData("Layerwise.Tests>TwoTower", typeof(TwoTower))]
    public void Registered_names_and_Keras_class_names_resolve(string name, Type expected)
    {
        Assert.True(LayerRegistry.TryResolve(name, out var registration));
        var layer = registration.Factory(DefaultConfigFor(expected));
        Assert.IsType(expected, layer);
    }

    static System.Text.Json.Nodes.JsonObject DefaultConfigFor(Type type) => type.Name switch
    {
        nameof(Dense) or nameof(Antirectifier) => new() { ["units"] = 2 },
        nameof(Dropout) => new() { ["rate"] = 0.5 },
        nameof(Activation) => new() { ["activation"] = "relu" },
        nameof(InputLayer) => new() { ["batch_shape"] = new System.Text.Json.Nodes.JsonArray(null, 3) },
        nameof(Sequential) => new() { ["layers"] = new System.Text.Json.Nodes.JsonArray() },
        nameof(EveryKindLayer) => (System.Text.Json.Nodes.JsonObject)System.Text.Json.Nodes.JsonNode.Parse("""
            {"flag": true, "count": 1, "big": 2, "scale": 0.5, "rate": 0.5, "mode": "m", "padding": "same", "sizes": [1],
             "tags": [], "weights": [1.0], "kernel_size": [1, 1]}
            """)!,
        nameof(TwoTower) => new() { ["hidden_units"] = 2, ["classes"] = 2 },
        _ => [],
    };

    [Fact]
    public void Registered_names_follow_the_package_convention()
    {
        Assert.Contains("Layerwise>Dense", LayerRegistry.RegisteredNames);
        Assert.Contains("Layerwise.Tests>Antirectifier", LayerRegistry.RegisteredNames);
        Assert.Equal("Tests>EveryKind", new EveryKindLayer(true, 1, 1, 1, 1, "m", Padding.Valid, [], [], [], (1, 1)).Registration!.RegisteredName);
    }

    [Fact]
    public void A_layer_reports_the_registration_of_its_own_type()
    {
        Assert.Same(LayerRegistry.ForType(typeof(Dense)), new Dense(2).Registration);
        Assert.Equal(typeof(Dense), new Dense(2).Registration!.Type);
        Assert.Equal("Layerwise.Tests>Antirectifier", new Antirectifier(2).Registration!.RegisteredName);
    }

    /// <summary>A subclass of a registered layer without [Layer]: it adds behaviour a config could not bring back.</summary>
    sealed class UnmarkedDense(int units) : Dense(units);

    [Fact]
    public void An_unmarked_subclass_of_a_registered_layer_is_not_saved_under_its_base_name()
    {
        // Saving it as "Dense" would load back as a plain Dense and silently lose the subclass.
        var layer = new UnmarkedDense(2);
        Assert.Null(layer.Registration);
        var e = Assert.Throws<LayerwiseException>(() => LayerRegistry.Serialize(layer));
        Assert.Contains("UnmarkedDense cannot be saved: it is not registered", e.Message);
    }

    [Fact]
    public void An_unknown_name_says_how_to_register_and_lists_near_matches()
    {
        var e = Assert.Throws<UnknownLayerException>(() => LayerRegistry.Resolve(registeredName: null, className: "Antirectifer"));
        Assert.Contains("Unknown layer: 'Antirectifer'", e.Message);
        Assert.Contains("[Layer]", e.Message);
        Assert.Contains("partial", e.Message);
        Assert.Contains("Antirectifier", e.NearMatches);
        Assert.Contains("Did you mean", e.Message);
    }

    [Fact]
    public void An_unknown_registered_name_lists_near_registered_names()
    {
        var e = Assert.Throws<UnknownLayerException>(() => LayerRegistry.Resolve("Layerwise.Tests>TwoTowers", "TwoTowers"));
        Assert.Equal("Layerwise.Tests>TwoTowers", e.RequestedName);
        Assert.Contains("Layerwise.Tests>TwoTower", e.NearMatches);
    }

    [Fact]
    public void A_name_far_from_everything_has_no_near_matches()
    {
        var e = Assert.Throws<UnknownLayerException>(() => LayerRegistry.Resolve(null, "QwertyuiopAsdfgh"));
        Assert.Empty(e.NearMatches);
        Assert.DoesNotContain("Did you mean", e.Message);
    }

    [Fact]
    public void RegisterAssemblyOf_runs_the_module_initializers_and_is_idempotent()
    {
        var before = LayerRegistry.RegisteredNames.Count;
        LayerRegistry.RegisterAssemblyOf<Antirectifier>();
        LayerRegistry.RegisterAssemblyOf<Dense>();
        Assert.Equal(before, LayerRegistry.RegisteredNames.Count);
        Assert.True(LayerRegistry.TryResolve("Layerwise.Tests>Antirectifier", out _));
    }

    [Fact]
    public void Config_text_that_is_not_JSON_is_a_config_error_naming_the_source()
    {
        var e = Assert.Throws<ConfigException>(() => ConfigJson.Parse("{\"class_name\": ", "model.json"));
        Assert.Equal("model.json", e.Path);
        Assert.Contains("not valid JSON", e.Message);
    }

    [Fact]
    public void A_layer_without_the_attribute_cannot_be_serialized()
    {
        var e = Assert.Throws<LayerwiseException>(() => LayerRegistry.Serialize(new Unregistered()));
        Assert.Contains("[Layer]", e.Message);
    }

    sealed class Unregistered : Layer
    {
        public override TorchSharp.torch.Tensor Call(TorchSharp.torch.Tensor inputs, bool training = false) => inputs.alias();
    }
}
