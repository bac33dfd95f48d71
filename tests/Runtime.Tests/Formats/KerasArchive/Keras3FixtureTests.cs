using System.IO.Compression;
using System.Text.Json.Nodes;
using Layerwise.Formats;
using Layerwise.Models;
using Layerwise.Tests.Formats.Hdf5;
using TorchSharp;
using static TorchSharp.torch;

namespace Layerwise.Tests.Formats.KerasArchive;

/// <summary>
/// Real <c>.keras</c> archives written by Keras 3.3–3.15 and committed to public repositories
/// (shared/fixtures/keras3/README.md), loaded with <see cref="Model.Load"/> and run on the fixture
/// inputs. Their outputs were computed independently (TensorFlow.js and a numpy forward pass);
/// the README asks for a match within 1e-4, absolute or relative.
/// </summary>
public class Keras3FixtureTests
{
    public Keras3FixtureTests() => torch.set_num_threads(1);

    /// <summary>Every case folder of the fixture set, with its archive's file name (from meta.json).</summary>
    public static TheoryData<string> Cases()
    {
        var cases = new TheoryData<string>();
        if (Fixtures.Find("keras3") is not { } root) return cases;
        foreach (var folder in Directory.GetDirectories(root).Select(Path.GetFileName).Order(StringComparer.Ordinal))
            cases.Add(folder!);
        return cases;
    }

    [FixtureFact("keras3")]
    public void All_nine_cases_of_the_fixture_set_are_enumerated()
    {
        Assert.Equal(9, Cases().Count);
    }

    [FixtureTheory("keras3")]
    [MemberData(nameof(Cases))]
    public void Real_Keras3_archive_loads_and_predicts_the_expected_outputs(string folder)
    {
        var meta = JsonNode.Parse(File.ReadAllText(Fixtures.Get($"keras3/{folder}/meta.json")))!;
        var inputShape = meta["input_shapes"]![0]!.AsArray().Select(d => d!.GetValue<long>()).ToArray();
        var outputShape = meta["output_shape"]!.AsArray().Select(d => d!.GetValue<long>()).ToArray();
        var model = Model.Load(Fixtures.Get($"keras3/{folder}/{meta["file"]!.GetValue<string>()}"));
        Assert.True(model.IsCompiled, $"{folder} has a compile_config and loads compiled");

        using var x = KerasH5FixtureTests.ReadFloats(Fixtures.Get($"keras3/{folder}/inputs.f32")).reshape(inputShape);
        using var expected = KerasH5FixtureTests.ReadFloats(Fixtures.Get($"keras3/{folder}/expected.f32")).reshape(outputShape);
        using var actual = model.Predict(x);
        Assert.Equal(expected.shape, actual.shape);
        // The README's tolerance: 1e-4 absolute or relative.
        using var difference = (actual - expected).abs();
        using var scale = actual.abs().maximum(expected.abs());
        using var bad = difference.gt(1e-4).logical_and(difference.gt(scale * 1e-4));
        Assert.False(bad.any().item<bool>(), $"{folder}: largest difference {difference.max().item<float>():G3}");
    }

    [FixtureTheory("keras3")]
    [InlineData("mpg_dense/model.keras", new[] { "mae", "mse" })]
    [InlineData("stock_lstm/model.keras", new[] { "mse", "r2_score" })]
    public void Metrics_named_in_compile_config_are_restored(string file, string[] metrics)
    {
        var model = Model.Load(Fixtures.Get($"keras3/{file}"));
        Assert.Equal(metrics, model.Metrics.Select(m => m.Name));
    }

    /// <summary>
    /// A copy of a fixture archive whose config.json is changed by <paramref name="edit"/> (weights and
    /// metadata kept): how a model holding a layer class Layerwise lacks looks on disk.
    /// </summary>
    static string EditedArchive(TempDirectory dir, string fixture, Action<JsonObject> edit)
    {
        var path = dir.Combine("edited.keras");
        using var source = ZipFile.OpenRead(Fixtures.Get(fixture));
        using var target = ZipFile.Open(path, ZipArchiveMode.Create);
        foreach (var entry in source.Entries)
        {
            using var input = entry.Open();
            using var output = target.CreateEntry(entry.FullName).Open();
            if (entry.FullName == "config.json")
            {
                var config = JsonNode.Parse(input)!.AsObject();
                edit(config);
                using var writer = new StreamWriter(output);
                writer.Write(config.ToJsonString());
            }
            else
            {
                input.CopyTo(output);
            }
        }
        return path;
    }

    /// <summary>Turns a layer entry into a custom Python class, as Keras 3 writes one registered with register_keras_serializable.</summary>
    static void MakeCustom(JsonNode layer, string className)
    {
        layer["module"] = "anomaly_layers";
        layer["class_name"] = className;
        layer["registered_name"] = $"Custom>{className}";
    }

    [FixtureFact("keras3/ae_dense/autoencoder.keras")]
    public void Archive_with_an_unregistered_custom_layer_is_refused_naming_its_class()
    {
        using var dir = new TempDirectory();
        var path = EditedArchive(dir, "keras3/ae_dense/autoencoder.keras", config => MakeCustom(config["config"]!["layers"]![2]!, "AnomalyScore"));

        var e = Assert.Throws<UnsupportedLayersException>(() => Model.Load(path));

        var layer = Assert.Single(e.Layers);
        Assert.Equal(("AnomalyScore", "Custom>AnomalyScore", false), (layer.ClassName, layer.RegisteredName, layer.IsKerasBuiltIn));
        Assert.Contains("Unknown layer: 'AnomalyScore' (registered_name 'Custom>AnomalyScore'), a custom class that is not registered (layer \"dense_1\")", e.Message);
        Assert.Contains("[Layer]", e.Message);
        Assert.DoesNotContain("not implemented", e.Message);
    }

    [FixtureFact("keras3/mnist_aug_cnn/cnn_model.keras")]
    public void Every_unsupported_class_is_listed_at_once_nested_models_included()
    {
        using var dir = new TempDirectory();
        var path = EditedArchive(dir, "keras3/mnist_aug_cnn/cnn_model.keras", config =>
        {
            var layers = config["config"]!["layers"]!.AsArray();
            // Inside the nested Sequential: a Keras class Layerwise does not implement.
            layers[1]!["config"]!["layers"]![1]!["class_name"] = "StringLookup";
            MakeCustom(layers[^1]!, "AnomalyScore");
            layers[^2]!["class_name"] = "StringLookup";
        });

        var e = Assert.Throws<UnsupportedLayersException>(() => Model.Load(path));

        Assert.Equal(["StringLookup", "StringLookup", "AnomalyScore"], e.Layers.Select(l => l.ClassName));
        Assert.Contains("Keras layer 'StringLookup' is not implemented in Layerwise (layers \"random_rotation\", ", e.Message);
        Assert.Contains("Unknown layer: 'AnomalyScore'", e.Message);
        Assert.Contains("3 layer(s)", e.Message);
    }
}
