using Layerwise.Formats;
using Layerwise.Layers;
using Layerwise.Models;
using static TorchSharp.torch;

namespace Layerwise.Tests.Formats;

/// <summary>
/// How loaders hold what they read: a model that already exists is changed only by
/// <see cref="StagedWeights.Apply"/> (so a bad file leaves it as it was); a model a loader has just
/// created is read into in place, and weights the file did not give end up zeros, not left unset.
/// </summary>
public class StagedWeightsTests
{
    public StagedWeightsTests() => TutorialModel.SingleThread();

    static Sequential NewModelWithoutInitializers()
    {
        var model = new Sequential(new Dense(3, inputShape: [2]));
        using (WeightInitialization.Skip()) model.EnsureBuilt([2]);
        return model;
    }

    [Fact]
    public void Weights_of_an_existing_model_change_only_when_applied()
    {
        var model = TutorialModel.Create(hidden: 4, compile: false);
        var kernel = model.Weights[0];
        var before = TutorialModel.WeightValues(model);
        using var staged = new StagedWeights();
        staged.Read(kernel, value => value.fill_(7f));
        Assert.Equal(before, TutorialModel.WeightValues(model));
        staged.Apply(null);
        Assert.All(TutorialModel.WeightValues(model)[0], v => Assert.Equal(7f, v));
    }

    [Fact]
    public void Weights_of_a_new_model_are_read_into_their_own_memory()
    {
        var model = NewModelWithoutInitializers();
        using var staged = StagedWeights.ForNewModel(model);
        staged.Read(model.Weights[0], value => value.fill_(7f));
        // visible before Apply: no staging copy was made
        Assert.All(TutorialModel.WeightValues(model)[0], v => Assert.Equal(7f, v));
    }

    [Fact]
    public void Weights_of_a_new_model_that_the_file_did_not_give_are_zeroed()
    {
        var model = NewModelWithoutInitializers();
        using (var _ = no_grad()) model.Weights[1].Value.fill_(float.NaN);   // what unset memory may hold
        using var staged = StagedWeights.ForNewModel(model);
        staged.Read(model.Weights[0], value => value.fill_(7f));
        staged.Apply(null);
        var values = TutorialModel.WeightValues(model);
        Assert.All(values[0], v => Assert.Equal(7f, v));
        Assert.All(values[1], v => Assert.Equal(0f, v));
    }
}
