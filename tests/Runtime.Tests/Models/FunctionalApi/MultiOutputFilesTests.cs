using System.Text.Json.Nodes;
using Layerwise.Models;
using Layerwise.Training.Losses;
using Layerwise.Training.Metrics;
using PureHDF;
using static TorchSharp.torch;

namespace Layerwise.Tests.Models.FunctionalApi;

/// <summary>The compile config of a multi-output model in .h5 and .keras files, and training continued after loading it.</summary>
[Collection(GlobalRandomState.Name)]
public class MultiOutputFilesTests
{
    static Functional CompiledByName()
    {
        var model = MultiOutputModel.Create();
        model.Compile("adam",
                      new Dictionary<string, Loss> { ["cls"] = new SparseCategoricalCrossentropy(fromLogits: true), ["reg"] = new MeanSquaredError() },
                      lossWeights: new Dictionary<string, double> { ["cls"] = 1.0, ["reg"] = 0.5 },
                      metricsByOutput: new Dictionary<string, IEnumerable<Metric>> { ["cls"] = ["accuracy"], ["reg"] = [new Layerwise.Training.Metrics.MeanAbsoluteError()] });
        return model;
    }

    [Theory]
    [InlineData("m.h5")]
    [InlineData("m.keras")]
    public void Per_output_losses_weights_and_metrics_survive_save_and_load_and_training_continues_identically(string file)
    {
        using var dir = new TempDirectory();
        var path = dir.Combine(file);
        var model = CompiledByName();
        var (a, b, classes, values) = MultiOutputModel.Data(8);
        model.Fit([a, b], [classes, values], batchSize: 8, epochs: 1, verbose: 0);
        model.Save(path);

        var loaded = (Functional)Model.Load(path);

        Assert.IsType<SparseCategoricalCrossentropy>(loaded.Losses[0]);
        Assert.True(((SparseCategoricalCrossentropy)loaded.Losses[0]!).FromLogits);
        Assert.IsType<MeanSquaredError>(loaded.Losses[1]);
        Assert.Equal([1.0, 0.5], loaded.LossWeights);
        Assert.Equal(model.Metrics.Select(m => m.Name), loaded.Metrics.Select(m => m.Name));
        Assert.Equal(["cls_accuracy", "reg_mean_absolute_error"], loaded.Metrics.Select(m => m.Name));

        Backend.SetRandomSeed(5);
        var before = model.Fit([a, b], [classes, values], batchSize: 8, epochs: 1, verbose: 0);
        Backend.SetRandomSeed(5);
        var after = loaded.Fit([a, b], [classes, values], batchSize: 8, epochs: 1, verbose: 0);
        Assert.Equal(before["loss"], after["loss"]);
        Assert.Equal(TutorialModel.WeightValues(model), TutorialModel.WeightValues(loaded));
    }

    [Fact]
    public void The_h5_training_config_keys_losses_weights_and_metrics_by_output_as_keras_writes_them()
    {
        using var dir = new TempDirectory();
        var path = dir.Combine("m.h5");
        CompiledByName().Save(path);

        using var file = H5File.OpenRead(path);
        var config = JsonNode.Parse(file.Attribute("training_config").Read<string>())!.AsObject();

        Assert.Equal("SparseCategoricalCrossentropy", (string?)config["loss"]!["cls"]!["class_name"]);
        Assert.Equal("MeanSquaredError", (string?)config["loss"]!["reg"]!["class_name"]);
        Assert.Equal(0.5, (double)config["loss_weights"]!["reg"]!);
        Assert.Equal("accuracy", (string?)config["metrics"]!["cls"]![0]);
        Assert.Equal("MeanAbsoluteError", (string?)config["metrics"]!["reg"]![0]!["class_name"]);
    }

    [Fact]
    public void A_list_of_losses_and_weights_is_written_as_lists_and_read_back()
    {
        using var dir = new TempDirectory();
        var path = dir.Combine("m.keras");
        var model = MultiOutputModel.Create();
        model.Compile("sgd", [new SparseCategoricalCrossentropy(fromLogits: true), new MeanSquaredError()], metrics: ["accuracy"], lossWeights: [2.0, 1.0]);
        model.Save(path);

        var loaded = Model.Load(path);

        Assert.Equal([2.0, 1.0], loaded.LossWeights);
        Assert.Equal(["cls_accuracy", "reg_accuracy"], loaded.Metrics.Select(m => m.Name));
        Assert.IsType<SparseCategoricalAccuracy>(loaded.Metrics[0]);
        Assert.IsType<Accuracy>(loaded.Metrics[1]);
    }
}
