using Layerwise.Layers;
using Layerwise.Models;
using static TorchSharp.torch;

namespace Layerwise.Tests.Layers;

/// <summary>Keras' ELU and LeakyReLU layers: their formulas, Keras' defaults and their config keys.</summary>
public class ActivationLayerTests
{
    static float[] Apply(Layer layer, params float[] values)
    {
        using var x = tensor(values).reshape(1, values.Length);
        using var y = layer.Invoke(x);
        return [.. y.data<float>().ToArray().Select(v => MathF.Round(v, 6))];
    }

    [Fact]
    public void ELU_is_alpha_times_expm1_below_zero()
    {
        // 0.5 · (e^-1 − 1) = −0.316060; e^-2 − 1 = −0.864665 (alpha 1, Keras' default).
        Assert.Equal(new[] { -0.31606f, 0f, 2f }, Apply(new ELU(alpha: 0.5), -1, 0, 2));
        Assert.Equal(new[] { -0.864665f, 3f }, Apply(new ELU(), -2, 3));
        Assert.Equal(1.0, new ELU().Alpha);
    }

    [Fact]
    public void LeakyReLU_defaults_to_Keras_slope_not_torch_slope()
    {
        Assert.Equal(0.3, new LeakyReLU().Alpha);
        Assert.Equal(new[] { -0.6f, 0f, 3f }, Apply(new LeakyReLU(), -2, 0, 3));
        Assert.Equal(new[] { -1f, 0.25f }, Apply(new LeakyReLU(alpha: 0.5), -2, 0.25f));
    }

    [Fact]
    public void Configs_use_the_Keras_key_alpha_and_accept_Keras_3_negative_slope()
    {
        Assert.Equal(0.7, new ELU(alpha: 0.7).GetConfig()["alpha"]!.GetValue<double>());
        Assert.Equal(0.5, new LeakyReLU(alpha: 0.5).GetConfig()["alpha"]!.GetValue<double>());
        const string keras3 = """
            {"class_name": "Sequential", "config": {"name": "s", "layers": [
              {"module": "keras.layers", "class_name": "LeakyReLU", "registered_name": null,
               "config": {"name": "leaky", "trainable": true, "dtype": "float32", "negative_slope": 0.1, "batch_input_shape": [null, 3]}}]}}
            """;
        var leaky = Assert.IsType<LeakyReLU>(((Sequential)Model.FromJson(keras3)).Layers[0]);
        Assert.Equal(0.1, leaky.Alpha);
    }

    [Fact]
    public void Default_names_are_Keras_snake_case()
    {
        Assert.Equal("elu", UniqueNames.ToSnakeCase("ELU"));
        Assert.Equal("leaky_re_lu", UniqueNames.ToSnakeCase("LeakyReLU"));
        Assert.Equal("conv1d", UniqueNames.ToSnakeCase("Conv1D"));
    }
}
