using Layerwise.Formats;
using Layerwise.Models;

namespace Layerwise.Tests.Security;

/// <summary>
/// Configs that asked for more than a machine has, or that .NET's JSON reader and libtorch rejected with
/// untyped exceptions: each is a <see cref="ModelFileException"/> now, raised before any weight is allocated.
/// </summary>
public class HostileConfigTests
{
    public HostileConfigTests() => TutorialModel.SingleThread();

    static string DenseModel(string units, string inputShape = "[null, 4]") =>
        """{"class_name": "Sequential", "config": {"name": "s", "layers": [""" +
        """{"class_name": "InputLayer", "config": {"batch_input_shape": """ + inputShape + """, "dtype": "float32", "name": "input"}}, """ +
        """{"class_name": "Dense", "config": {"name": "d", "units": """ + units + """, "activation": "linear"}}]}}""";

    [Theory]
    [InlineData("2147483647")]   // libtorch: ExternalException (can't allocate 2^31 x 4 floats)
    [InlineData("100000000")]    // 1.7 KB of JSON that took 5.2 GB
    public void A_config_asking_for_more_parameters_than_the_budget_is_refused_before_allocating(string units)
    {
        var error = Assert.Throws<ModelFileException>(() => Model.FromJson(DenseModel(units)));
        Assert.Contains("too large", error.Message);
        Assert.Contains("LoadLimits.MaxParameters", error.Message);
    }

    [Fact]
    public void A_huge_input_dimension_is_refused_before_allocating()
    {
        // 2^31 inputs to a Dense of 1 unit: the kernel alone would be 8 GB.
        var error = Assert.Throws<ModelFileException>(() => Model.FromJson(DenseModel("1", "[null, 2147483648]")));
        Assert.Contains("too large", error.Message);
    }

    [Fact]
    public void A_negative_size_is_a_typed_error_not_a_libtorch_one()
    {
        var error = Assert.Throws<ModelFileException>(() => Model.FromJson(DenseModel("-5")));
        Assert.Contains("-5", error.Message);
    }

    [Fact]
    public void A_repeated_key_is_refused_naming_the_key()
    {
        var json = DenseModel("3").Replace("\"activation\": \"linear\"", "\"activation\": \"linear\", \"trainable\": true, \"trainable\": true");
        var error = Assert.Throws<ModelFileException>(() => Model.FromJson(json));
        Assert.Contains("trainable", error.Message);
    }

    [Fact]
    public void A_sequential_without_layers_is_given_back_empty_as_keras_does()
    {
        var model = Model.FromJson("""{"class_name": "Sequential", "config": {"name": "empty", "layers": [], "build_input_shape": [null, 4]}}""");
        Assert.Empty(model.Layers);
        Assert.False(model.Built);
    }
}

/// <summary><see cref="LoadLimits"/> is process-wide: this test changes it, so it runs alone.</summary>
[Collection(GlobalRandomState.Name)]
public class LoadLimitsTests
{
    [Fact]
    public void MaxParameters_is_the_budget_of_a_model_created_from_a_config()
    {
        const string json = """
            {"class_name": "Sequential", "config": {"name": "s", "layers": [
              {"class_name": "InputLayer", "config": {"batch_input_shape": [null, 20], "dtype": "float32", "name": "input"}},
              {"class_name": "Dense", "config": {"name": "d", "units": 100}}]}}
            """;   // 20 x 100 + 100 = 2100 parameters
        Assert.Equal(LoadLimits.DefaultMaxParameters, LoadLimits.MaxParameters);
        try
        {
            LoadLimits.MaxParameters = 2099;
            var error = Assert.Throws<ModelFileException>(() => Model.FromJson(json));
            Assert.Contains("2099", error.Message);
            LoadLimits.MaxParameters = 2100;
            Assert.Equal(2100, Model.FromJson(json).Weights.Sum(w => w.Shape.Aggregate(1L, (a, b) => a * b)));
        }
        finally
        {
            LoadLimits.MaxParameters = LoadLimits.DefaultMaxParameters;
        }
    }

    [Fact]
    public void MaxLayers_caps_the_layers_a_config_may_describe_before_any_is_created()
    {
        const string json = """
            {"class_name": "Sequential", "config": {"name": "s", "layers": [
              {"class_name": "InputLayer", "config": {"batch_input_shape": [null, 2], "dtype": "float32", "name": "input"}},
              {"class_name": "Dense", "config": {"name": "d1", "units": 2}},
              {"class_name": "Dense", "config": {"name": "d2", "units": 2}}]}}
            """;
        Assert.Equal(LoadLimits.DefaultMaxLayers, LoadLimits.MaxLayers);
        try
        {
            LoadLimits.MaxLayers = 2;
            var error = Assert.Throws<ModelFileException>(() => Model.FromJson(json));
            Assert.Contains("LoadLimits.MaxLayers", error.Message);
            LoadLimits.MaxLayers = 3;
            Assert.Equal(2, Model.FromJson(json).Layers.Count);
        }
        finally
        {
            LoadLimits.MaxLayers = LoadLimits.DefaultMaxLayers;
        }
    }
}
