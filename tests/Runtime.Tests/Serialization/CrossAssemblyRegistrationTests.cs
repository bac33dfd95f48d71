using Layerwise.Models;
using Layerwise.Serialization;
using static TorchSharp.torch;

namespace Layerwise.Tests.Serialization;

/// <summary>
/// Layers of a referenced library load although no code of that library ran before the load. This
/// test assembly references tests/PluginLayers but names none of its types anywhere: only the module
/// initializer the generator writes into this assembly (it references a marked library) can have
/// registered "PluginLayers&gt;AddConstant".
/// </summary>
public class CrossAssemblyRegistrationTests
{
    [Fact]
    public void A_layer_of_an_untouched_referenced_library_loads_from_a_config()
    {
        var model = Model.FromJson("""
            {"class_name": "Sequential", "config": {"name": "s", "layers": [
              {"class_name": "InputLayer", "config": {"name": "in", "batch_input_shape": [null, 3]}},
              {"class_name": "AddConstant", "registered_name": "PluginLayers>AddConstant", "config": {"name": "add", "value": 2.5}}]}}
            """);
        using var y = model.Predict(zeros(2, 3));
        Assert.Equal(new long[] { 2, 3 }, y.shape);
        Assert.All(y.data<float>().ToArray(), v => Assert.Equal(2.5f, v));
    }

    [Fact]
    public void The_generated_initializer_of_this_assembly_names_the_library()
    {
        var initializer = typeof(CrossAssemblyRegistrationTests).Assembly.GetType("Layerwise.Generated.ReferencedLayerAssemblies");
        Assert.NotNull(initializer);
        Assert.Contains("PluginLayers>AddConstant", LayerRegistry.RegisteredNames);
    }

    [Fact]
    public void The_library_is_marked_and_this_test_assembly_is_too()
    {
        var plugin = AppDomain.CurrentDomain.GetAssemblies().Single(a => a.GetName().Name == "PluginLayers");
        Assert.True(plugin.IsDefined(typeof(LayerAssemblyAttribute), inherit: false));
        // The tests declare [Layer] types of their own (Antirectifier and others).
        Assert.True(typeof(CrossAssemblyRegistrationTests).Assembly.IsDefined(typeof(LayerAssemblyAttribute), inherit: false));
    }
}
