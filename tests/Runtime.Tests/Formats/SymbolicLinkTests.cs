using Layerwise.Models;

namespace Layerwise.Tests.Formats;

/// <summary>
/// Users point at models through links (<c>latest.h5 -> run_42.h5</c>); every size check must use the
/// target's length, not the link's (on Unix <c>FileInfo.Length</c> of a link is the link's own size,
/// which made real files look truncated).
/// </summary>
[Collection(GlobalRandomState.Name)]
public class SymbolicLinkTests
{
    public SymbolicLinkTests() => TutorialModel.SingleThread();

    [Theory]
    [InlineData("model.h5")]
    [InlineData("model.keras")]
    public void Whole_model_file_loads_through_a_symbolic_link(string fileName)
    {
        using var dir = new TempDirectory();
        var model = TutorialModel.Create(hidden: 16);
        var target = dir.Combine(fileName);
        model.Save(target);
        var link = dir.Combine("latest" + Path.GetExtension(fileName));
        File.CreateSymbolicLink(link, target);

        var loaded = Model.Load(link);

        var (x, _) = TutorialModel.Data(8);
        PredictionAssert.Same(model, loaded, x);
    }

    [Theory]
    [InlineData("w.weights.h5")]
    [InlineData("ckpt")]
    public void Weights_load_through_symbolic_links(string name)
    {
        using var dir = new TempDirectory();
        var model = TutorialModel.Create(hidden: 16);
        var target = dir.Combine(name);
        model.SaveWeights(target);
        var linkDir = dir.Combine("links");
        Directory.CreateDirectory(linkDir);
        // Link every file the save wrote (a checkpoint is an index and a data shard).
        foreach (var file in Directory.GetFiles(dir.Path).Where(f => Path.GetFileName(f).StartsWith(name, StringComparison.Ordinal)))
            File.CreateSymbolicLink(Path.Combine(linkDir, Path.GetFileName(file)), file);

        var fresh = TutorialModel.Create(hidden: 16);
        fresh.LoadWeights(Path.Combine(linkDir, name));

        Assert.Equal(TutorialModel.WeightValues(model), TutorialModel.WeightValues(fresh));
    }
}
