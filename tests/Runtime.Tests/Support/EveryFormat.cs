using Layerwise.Models;
using static TorchSharp.torch;

namespace Layerwise.Tests;

/// <summary>
/// The save/load round trip every layer family is checked with: a compiled model trained one epoch,
/// saved as .h5, .keras, a directory, or its weights as a TF checkpoint (loaded into a fresh model of
/// the same architecture), predicts exactly as before; whole-model formats keep every layer's config.
/// </summary>
internal static class EveryFormat
{
    /// <summary>The file names whose extension picks each format: .h5, .keras, a directory, a checkpoint prefix.</summary>
    public static TheoryData<string> Paths => FormatRoundTrip.Paths;

    /// <param name="create">builds and compiles the model (with loss "mse") from a seed.</param>
    public static void RoundTrip(Func<int, Sequential> create, string fileName)
    {
        var model = create(9);
        var x = randn([8, .. model.InputShape!], generator: new Generator(2));
        using (var y0 = model.Predict(x))
            model.Fit(x, randn([8, .. y0.shape.Skip(1)], generator: new Generator(3)), batchSize: 4, epochs: 1, verbose: 0);
        var loaded = FormatRoundTrip.Reload(model, fileName, () => create(10));
        Assert.Equal(model.Weights.Select(w => (w.Name, string.Join(",", w.Shape))), loaded.Weights.Select(w => (w.Name, string.Join(",", w.Shape))));
        PredictionAssert.Same(model, loaded, x, model.Name + " " + fileName);
    }

    /// <summary>One training step changes every weight of the model: gradients reach each of them through the layers.</summary>
    public static void GradientsReachEveryWeight(Sequential model)
    {
        var x = randn([8, .. model.InputShape!], generator: new Generator(4));
        var before = TutorialModel.WeightValues(model);
        using var y0 = model.Predict(x);
        model.Fit(x, randn([8, .. y0.shape.Skip(1)], generator: new Generator(5)), batchSize: 8, epochs: 1, verbose: 0);
        WeightAssert.EveryWeightChanged(model, before);
    }
}
