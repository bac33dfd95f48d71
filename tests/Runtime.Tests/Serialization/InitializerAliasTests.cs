using System.Text.Json.Nodes;
using Layerwise.Initializers;
using Layerwise.Serialization;
using TorchSharp;
using static TorchSharp.torch;

namespace Layerwise.Tests.Serialization;

/// <summary>
/// Every identifier Keras' <c>initializers.get</c> accepts (class names of Keras 2 and 3, tf.keras'
/// "V2" names, Keras 3.2-3.6's <c>OrthogonalInitializer</c>, snake_case names and the short aliases of
/// keras/src/initializers/__init__.py), the configs of the initializers that take arguments, and what
/// the added initializers draw, against Keras' definitions.
/// </summary>
public class InitializerAliasTests
{
    public InitializerAliasTests() => torch.set_num_threads(1);

    [Theory]
    [InlineData("glorot_uniform", typeof(GlorotUniform))]
    [InlineData("GlorotUniform", typeof(GlorotUniform))]
    [InlineData("GlorotUniformV2", typeof(GlorotUniform))]
    [InlineData("glorot_uniformV2", typeof(GlorotUniform))]
    [InlineData("glorot_normal", typeof(GlorotNormal))]
    [InlineData("he_uniform", typeof(HeUniform))]
    [InlineData("HeNormal", typeof(HeNormal))]
    [InlineData("lecun_uniform", typeof(LecunUniform))]
    [InlineData("LecunNormal", typeof(LecunNormal))]
    [InlineData("lecun_normalV2", typeof(LecunNormal))]
    [InlineData("orthogonal", typeof(Orthogonal))]
    [InlineData("Orthogonal", typeof(Orthogonal))]
    [InlineData("OrthogonalInitializer", typeof(Orthogonal))]
    [InlineData("identity", typeof(Identity))]
    [InlineData("IdentityInitializer", typeof(Identity))]
    [InlineData("truncated_normal", typeof(TruncatedNormal))]
    [InlineData("TruncatedNormalV2", typeof(TruncatedNormal))]
    [InlineData("random_normal", typeof(RandomNormal))]
    [InlineData("normal", typeof(RandomNormal))]
    [InlineData("random_uniform", typeof(RandomUniform))]
    [InlineData("uniform", typeof(RandomUniform))]
    [InlineData("constant", typeof(Constant))]
    [InlineData("ConstantV2", typeof(Constant))]
    [InlineData("zeros", typeof(Zeros))]
    [InlineData("zero", typeof(Zeros))]
    [InlineData("ones", typeof(Ones))]
    [InlineData("one", typeof(Ones))]
    [InlineData("variance_scaling", typeof(VarianceScaling))]
    public void Keras_identifier_names_its_initializer(string name, Type expected)
    {
        Assert.IsType(expected, Initializer.Get(name));
        Assert.IsType(expected, InitializerConverter.Read(JsonValue.Create(name), "init"));
        Assert.IsType(expected, InitializerConverter.Read(new JsonObject { ["class_name"] = name, ["config"] = new JsonObject() }, "init"));
    }

    [Fact]
    public void Unknown_identifier_is_a_config_error_listing_the_names()
    {
        var e = Assert.Throws<ConfigException>(() => InitializerConverter.Read(JsonValue.Create("glorot_uniformish"), "Dense.config.kernel_initializer"));
        Assert.Contains("Dense.config.kernel_initializer", e.Message);
        Assert.Contains("lecun_normal", e.Message);
    }

    [Fact]
    public void Keras_3_OrthogonalInitializer_config_keeps_its_gain()
    {
        var node = JsonNode.Parse("""{"module": "keras.initializers", "class_name": "OrthogonalInitializer", "config": {"gain": 2.0, "seed": null}, "registered_name": null}""");
        var orthogonal = Assert.IsType<Orthogonal>(InitializerConverter.Read(node, "init"));
        Assert.Equal(2.0, orthogonal.Gain);
    }

    public static TheoryData<string> ConfiguredInitializers() =>
    [
        """{"class_name": "VarianceScaling", "config": {"scale": 0.5, "mode": "fan_out", "distribution": "untruncated_normal", "seed": null}}""",
        """{"class_name": "TruncatedNormal", "config": {"mean": 1.5, "stddev": 0.5, "seed": null}}""",
        """{"class_name": "Constant", "config": {"value": 0.25}}""",
        """{"class_name": "Identity", "config": {"gain": 2.5}}""",
        """{"class_name": "LecunUniform", "config": {"seed": null}}""",
    ];

    [Theory]
    [MemberData(nameof(ConfiguredInitializers))]
    public void Config_is_read_and_written_back_with_its_values(string json)
    {
        var original = JsonNode.Parse(json)!;
        var written = InitializerConverter.Write(InitializerConverter.Read(original, "init"))!;
        Assert.Equal(original["class_name"]!.GetValue<string>(), written["class_name"]!.GetValue<string>());
        Assert.Equal("keras.initializers", written["module"]!.GetValue<string>());
        Assert.Equal(original["config"]!.ToJsonString(), written["config"]!.ToJsonString());
    }

    [Fact]
    public void Keras_2_0_normal_distribution_is_the_truncated_normal()
    {
        var node = JsonNode.Parse("""{"class_name": "VarianceScaling", "config": {"scale": 3.0, "mode": "fan_avg", "distribution": "normal"}}""");
        Assert.Equal("truncated_normal", Assert.IsType<VarianceScaling>(InitializerConverter.Read(node, "init")).Distribution);
    }

    [Fact]
    public void Bad_variance_scaling_mode_is_a_config_error()
    {
        var node = JsonNode.Parse("""{"class_name": "VarianceScaling", "config": {"mode": "fan_max"}}""");
        var e = Assert.Throws<ConfigException>(() => InitializerConverter.Read(node, "Dense.config.kernel_initializer"));
        Assert.Contains("fan_in, fan_out or fan_avg", e.Message);
    }

    [Fact]
    public void Lecun_uniform_draws_within_sqrt_3_over_fan_in()
    {
        torch.manual_seed(5);
        using var w = new LecunUniform().Generate([300, 40], CPU);
        double limit = Math.Sqrt(3.0 / 300);
        double largest = w.abs().max().item<float>();
        Assert.True(largest <= limit && largest > 0.95 * limit, $"max |w| = {largest}, limit {limit}");
    }

    [Fact]
    public void Untruncated_variance_scaling_has_the_requested_stddev()
    {
        torch.manual_seed(6);
        // fan_out = 500, scale 0.5: stddev sqrt(0.5 / 500) ≈ 0.0316.
        using var w = new VarianceScaling(0.5, "fan_out", "untruncated_normal").Generate([400, 500], CPU);
        double std = w.std().item<float>();
        Assert.InRange(std, 0.97 * Math.Sqrt(0.001), 1.03 * Math.Sqrt(0.001));
        Assert.True(w.abs().max().item<float>() > 2 * Math.Sqrt(0.001), "an untruncated normal has draws beyond two stddevs");
    }

    [Theory]
    [InlineData("glorot_normal", 1.0 / 300)]   // fan_avg of [200, 400] = 300, scale 1
    [InlineData("he_normal", 2.0 / 200)]       // fan_in 200, scale 2
    [InlineData("lecun_normal", 1.0 / 200)]
    public void Truncated_variance_scaling_has_the_requested_variance_within_two_of_its_stddevs(string name, double variance)
    {
        // Keras draws a normal truncated at two stddevs, its stddev divided by 0.8796 so the result has the requested variance.
        torch.manual_seed(8);
        using var w = Initializer.Get(name).Generate([200, 400], CPU);
        double std = w.std().item<float>(), bound = 2 * Math.Sqrt(variance) / 0.87962566103423978;
        Assert.InRange(std, 0.97 * Math.Sqrt(variance), 1.03 * Math.Sqrt(variance));
        Assert.True(w.abs().max().item<float>() <= bound * (1 + 1e-6), "values stay within the truncation");
        Assert.True(w.abs().max().item<float>() > 0.95 * bound, "the draw reaches the truncation bound");
    }

    [Fact]
    public void Truncated_normal_stays_within_two_stddevs_of_the_mean()
    {
        torch.manual_seed(7);
        using var w = new TruncatedNormal(1.0, 0.5).Generate([200, 100], CPU);
        Assert.True(w.min().item<float>() >= 0f && w.max().item<float>() <= 2f);
        Assert.InRange(w.mean().item<float>(), 0.98, 1.02);
        // The stddev of a normal truncated at ±2σ is 0.8796σ.
        Assert.InRange(w.std().item<float>(), 0.97 * 0.5 * 0.87962566103423978, 1.03 * 0.5 * 0.87962566103423978);
    }

    [Fact]
    public void Constant_and_identity_fill_as_Keras_does()
    {
        using var constant = new Constant(0.25).Generate([2, 3], CPU);
        Assert.True(constant.eq(0.25f).all().item<bool>());
        using var identity = new Identity(3.0).Generate([2, 3], CPU);
        Assert.Equal([3f, 0, 0, 0, 3f, 0], identity.data<float>().ToArray());
        Assert.Throws<ArgumentException>(() => new Identity().Generate([2, 2, 2], CPU));
    }
}
