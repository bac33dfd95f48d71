using System.Text.Json.Nodes;
using Layerwise.Formats.Hdf5;
using Layerwise.Models;
using static TorchSharp.torch;

namespace Layerwise.Tests.Formats.Hdf5;

/// <summary>
/// One of Deeplearning4j's Keras end-to-end cases (shared/fixtures/dl4j/README.md): loads the model
/// as a whole .h5 or as config.json + weights.h5, and compares its predictions with the ones real
/// Keras computed, with Deeplearning4j's tolerance.
/// </summary>
internal static class Dl4jCase
{
    public static Model LoadWholeModel(string folder, string stem) =>
        Model.Load(Fixtures.Get($"dl4j/{folder}/{stem}_model.h5"));

    public static Model LoadConfigAndWeights(string folder, string stem)
    {
        var model = Model.FromJson(File.ReadAllText(Fixtures.Get($"dl4j/{folder}/{stem}_config.json")));
        model.LoadWeightsHdf5(Fixtures.Get($"dl4j/{folder}/{stem}_weights.h5"));
        return model;
    }

    /// <summary>Asserts that <paramref name="model"/> predicts what Keras predicted for the case's inputs.</summary>
    public static void AssertPredictions(Model model, string folder, string stem)
    {
        var path = Fixtures.Get($"dl4j/{folder}/{stem}_inputs_and_outputs.h5");
        using var file = Hdf5Input.Open(path, path);
        var inputName = JsonNode.Parse(file.ReadString(file.Root, "inputs"))!["inputs"]![0]!.GetValue<string>();
        var outputName = JsonNode.Parse(file.ReadString(file.Root, "outputs"))!["outputs"]![0]!.GetValue<string>();
        using var x = Read(file, "inputs", inputName);
        using var expected = Read(file, "predictions", outputName);
        using var actual = model.Predict(x);
        Assert.Equal(expected.shape, actual.shape);
        // Deeplearning4j's tolerance: |a - b| <= 1e-5, or <= 1e-5 relative.
        using var difference = (actual - expected).abs();
        using var scale = actual.abs().maximum(expected.abs());
        using var bad = difference.gt(1e-5).logical_and(difference.gt(scale * 1e-5));
        Assert.False(bad.any().item<bool>(), $"largest difference {difference.max().item<float>():G3}");
    }

    /// <summary>A float dataset <c>/group/name</c> of an inputs_and_outputs file (e.g. <c>activations/dense_1</c>, to localise a mismatch).</summary>
    public static Tensor Read(Hdf5Input file, string group, string name)
    {
        var g = file.Group(file.Root, group);
        var (dataset, shape) = file.FloatDataset(g, name);
        return file.ReadFloats(dataset, shape, $"/{group}/{name}");
    }
}
