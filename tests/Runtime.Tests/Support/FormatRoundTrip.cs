using Layerwise.Models;

namespace Layerwise.Tests;

/// <summary>Saves a model in one of Layerwise's formats and reads it back, for the layer families' round-trip tests.</summary>
internal static class FormatRoundTrip
{
    /// <summary>Keras 2 .h5, Keras 3 .keras, a model directory and a TF checkpoint prefix ("cp").</summary>
    public static TheoryData<string> Paths => new() { "model.h5", "model.keras", "model_dir", "cp" };

    /// <summary>
    /// The model read back from <paramref name="fileName"/>'s format: <c>Model.Load</c> (configs checked
    /// equal layer by layer), or for "cp" <c>LoadWeights</c> into <paramref name="fresh"/>() (a checkpoint has
    /// no config). Weights are checked equal in both cases.
    /// </summary>
    public static Model SaveAndLoad(Model model, string fileName, Func<Model> fresh)
    {
        var loaded = Reload(model, fileName, fresh);
        Assert.Equal(model.Weights.Select(w => w.Name), loaded.Weights.Select(w => w.Name));
        Assert.Equal(TutorialModel.WeightValues(model), TutorialModel.WeightValues(loaded));
        return loaded;
    }

    /// <summary>
    /// Saves <paramref name="model"/> in <paramref name="fileName"/>'s format and reads it back: <c>Model.Load</c>
    /// (configs checked equal layer by layer), or for "cp" <c>LoadWeights</c> into <paramref name="fresh"/>().
    /// </summary>
    public static Model Reload(Model model, string fileName, Func<Model> fresh)
    {
        using var dir = new TempDirectory();
        var path = dir.Combine(fileName);
        if (fileName == "cp")
        {
            model.SaveWeights(path);
            var restored = fresh();
            restored.LoadWeights(path);
            return restored;
        }
        model.Save(path);
        var loaded = Model.Load(path);
        Assert.Equal(model.Layers.Select(l => l.GetConfig().ToJsonString()), loaded.Layers.Select(l => l.GetConfig().ToJsonString()));
        return loaded;
    }
}
