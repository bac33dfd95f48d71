using Layerwise.Formats;
using Layerwise.Formats.Hdf5;
using Layerwise.Layers;
using Layerwise.Models;
using PureHDF;
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

    static Sequential Trained(int secondUnits)
    {
        var model = new Sequential(new Dense(3, inputShape: [4], name: "first"), new Dense(secondUnits, name: "second"));
        model.Compile("adam", "mse");
        model.Fit(ones(8, 4), ones(8, secondUnits), batchSize: 8, epochs: 1, verbose: 0);
        return model;
    }

    [Fact]
    public void Optimizer_state_found_unusable_after_some_slots_were_read_leaves_a_fresh_optimizer()
    {
        using var dir = new TempDirectory();
        var path = dir.Combine("mixed.h5");
        var model = Trained(secondUnits: 2);
        var other = Trained(secondUnits: 5);   // same names; "second"'s slots have another shape, and come after "first"'s
        var file = new H5File();
        file.Attributes["model_config"] = KerasH5ModelFile.ModelConfigJson(model, FunctionalConfigForm.Keras2).ToJsonString();
        file.Attributes["training_config"] = Layerwise.Serialization.CompileConfig.WriteTrainingConfig(model.Optimizer!, model.Loss!, model.Metrics).ToJsonString();
        var weights = new H5Group();
        KerasH5Weights.Write(model, weights);
        file["model_weights"] = weights;
        var optimizerGroup = new H5Group();
        KerasH5OptimizerWeights.Write(other, other.Optimizer!, optimizerGroup);
        file["optimizer_weights"] = optimizerGroup;
        Hdf5Output.WriteNewFile(file, path);

        var output = new StringWriter();
        var previous = Output.Writer;
        Output.Writer = output;
        try
        {
            var loaded = Model.Load(path);
            Assert.Contains("WARNING: the optimizer state", output.ToString());
            Assert.Empty(loaded.Optimizer!.SlotVariables);
            Assert.Equal(0, loaded.Optimizer.Iterations);
            Assert.Equal(TutorialModel.WeightValues(model), TutorialModel.WeightValues(loaded));
        }
        finally
        {
            Output.Writer = previous;
        }
    }
}
