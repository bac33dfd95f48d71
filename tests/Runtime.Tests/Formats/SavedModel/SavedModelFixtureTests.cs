using System.Text.Json.Nodes;
using Layerwise.Formats;
using Layerwise.Formats.Checkpoint;
using Layerwise.Models;
using Layerwise.Serialization;
using Layerwise.Training.Optimizers;
using TorchSharp;
using static TorchSharp.torch;

namespace Layerwise.Tests.Formats.SavedModel;

/// <summary>
/// The fourteen real TensorFlow SavedModel directories of shared/fixtures/savedmodel (tf.keras 2.5-2.15
/// <c>model.save(dir)</c>, from public repositories), loaded with <c>Model.Load(dir)</c> and run on their
/// inputs; the expected outputs were computed independently (TensorFlow.js and a numpy forward pass).
/// </summary>
public class SavedModelFixtureTests
{
    public SavedModelFixtureTests() => torch.set_num_threads(1);

    public static TheoryData<string> All => [.. SavedModelFixture.Names];

    /// <summary>Directories whose bundle holds tf.keras 2's Adam slots (<c>.OPTIMIZER_SLOT/optimizer/m</c>, <c>v</c>).</summary>
    public static TheoryData<string> WithAdamSlots => ["candy", "chat", "coffee", "fashion_cnn", "irises", "iteam_gru", "sudoku_a", "timeseries"];

    /// <summary>
    /// Layers that some fixtures use and that are being added on other branches. Until their class is
    /// registered here, loading those fixtures must fail only with the refusal that names the class.
    /// </summary>
    static readonly Dictionary<string, string[]> LayersAddedElsewhere = new()
    {
        ["chat"] = ["RepeatVector"],
        ["coffee"] = ["Normalization"],
        ["stock_a"] = ["Normalization"],
        ["kroax_decoder"] = ["UpSampling2D"],
        ["kroax_denoiser"] = ["UpSampling2D"],
    };

    [FixtureTheory(SavedModelFixture.Folder)]
    [MemberData(nameof(All))]
    public void Real_SavedModel_loads_and_predicts_the_expected_outputs(string name)
    {
        var fixture = new SavedModelFixture(name);
        if (RefusedForMissingLayers(fixture, compile: false)) return;
        var model = Model.Load(fixture.Directory, compile: false);
        using var expected = fixture.Expected();
        using var actual = fixture.Predict(model);
        Assert.Equal(expected.shape, actual.shape);
        double worst = (actual - expected).abs().max().item<float>();
        Assert.True(worst <= 1e-4, $"{name}: largest difference {worst:G3} > 1e-4");
    }

    [FixtureTheory(SavedModelFixture.Folder)]
    [MemberData(nameof(WithAdamSlots))]
    public void Adam_slots_and_iterations_are_restored_from_the_bundle(string name)
    {
        var fixture = new SavedModelFixture(name);
        if (RefusedForMissingLayers(fixture, compile: true)) return;
        var model = Model.Load(fixture.Directory);
        Assert.True(model.IsCompiled);
        var adam = Assert.IsType<Adam>(model.Optimizer);

        // The bundle read on its own: each weight's variable node (by meta.json's key), its slots through the optimizer's slot_variables.
        using var reader = BundleReader.Open(Path.Combine(fixture.Directory, "variables", "variables"));
        var graph = TrackableObjectGraph.Parse(reader.ReadString("_CHECKPOINTABLE_OBJECT_GRAPH"));
        var optimizerNode = graph.Nodes[graph.Find("optimizer")!.Value];
        using (var iterations = reader.ReadTensor(graph.VariableKey(graph.Find("optimizer", "iter")!.Value)!))
            Assert.Equal(iterations.item<long>(), adam.Iterations);
        int compared = 0;
        foreach (var weight in fixture.Meta["weights"]!.AsArray())
        {
            var key = (string)weight!["checkpoint_key"]!;
            var variable = model.Layers.Single(l => l.Name == (string)weight["layer"]!).Weights[(int)weight["weight_index"]!];
            int node = Enumerable.Range(0, graph.Nodes.Count).Single(n => graph.VariableKey(n) == key);
            var slots = optimizerNode.SlotVariables.Where(s => s.OriginalVariableNodeId == node).ToList();
            if (slots.Count == 0)
            {
                Assert.False(variable.Trainable, $"{name}: trainable weight {variable.Path} has no slots in the bundle");
                continue;
            }
            Assert.Equal(["m", "v"], slots.Select(s => s.SlotName).Order());
            foreach (var slot in slots)
            {
                using var saved = reader.ReadTensor(graph.VariableKey(slot.SlotVariableNodeId)!);
                var restored = adam.GetSlot(variable, slot.SlotName);
                Assert.True(saved.equal(restored.cpu()).all().item<bool>(), $"{name}: slot {slot.SlotName} of {variable.Path} differs from the bundle");
                compared++;
            }
        }
        Assert.True(compared >= 4, $"{name}: only {compared} slots compared");
    }

    [FixtureFact(SavedModelFixture.Folder + "/candy")]
    public void Fit_continues_Adam_from_the_restored_slots_and_step()
    {
        var fixture = new SavedModelFixture("candy");
        var model = Model.Load(fixture.Directory);
        var adam = Assert.IsType<Adam>(model.Optimizer);
        var dense = model.Layers[^1];
        var kernel = dense.Weights[0];
        using var kernelBefore = kernel.Value.detach().clone().to(float64);
        using var mBefore = adam.GetSlot(kernel, "m").detach().clone().to(float64);
        using var vBefore = adam.GetSlot(kernel, "v").detach().clone().to(float64);
        long step = adam.Iterations + 1;
        Assert.True(mBefore.abs().sum().item<double>() > 0, "the restored m slot should hold the saved state");

        var x = fixture.Inputs()[0];
        using var y = fixture.Expected() + 0.25f;
        model.Fit(x, y, batchSize: 8, epochs: 1, verbose: 0);
        Assert.Equal(step, adam.Iterations);

        // Keras 2's Adam from the bundle's hyperparameters: m = b1 m + (1-b1) g, v = b2 v + (1-b2) g^2,
        // w -= lr sqrt(1-b2^t)/(1-b1^t) m/(sqrt(v)+eps). g is recovered from m, so v proves that both
        // slots continued from the restored values, and the weight step that t continued from iter.
        double b1 = Hyper(fixture, "beta_1"), b2 = Hyper(fixture, "beta_2"), lr = Hyper(fixture, "learning_rate");
        using var m = adam.GetSlot(kernel, "m").detach().to(float64);
        using var v = adam.GetSlot(kernel, "v").detach().to(float64);
        using var g = (m - mBefore * b1) / (1 - b1);
        using var vExpected = vBefore * b2 + g * g * (1 - b2);
        double vError = (v - vExpected).abs().max().item<double>();
        Assert.True(vError <= 1e-5 * v.abs().max().item<double>() + 1e-12, $"v after one step differs from Keras' rule by {vError:G3}");
        double alpha = lr * Math.Sqrt(1 - Math.Pow(b2, step)) / (1 - Math.Pow(b1, step));
        using var kernelExpected = kernelBefore - m / (v.sqrt() + 1e-7) * alpha;
        double wError = (kernel.Value.detach().to(float64) - kernelExpected).abs().max().item<double>();
        Assert.True(wError <= 1e-6, $"the kernel after one step differs from Keras' Adam at step {step} by {wError:G3}");
    }

    [FixtureFact(SavedModelFixture.Folder + "/irises")]
    public void LoadWeights_reads_a_SavedModel_directory_into_a_model_built_in_code()
    {
        var fixture = new SavedModelFixture("irises");
        var loaded = Model.Load(fixture.Directory, compile: false);
        var config = (JsonObject)LayerRegistry.Serialize(loaded);
        var model = Model.FromJson(config.ToJsonString());
        model.LoadWeights(fixture.Directory);
        using var expected = fixture.Expected();
        using var actual = fixture.Predict(model);
        double worst = (actual - expected).abs().max().item<float>();
        Assert.True(worst <= 1e-4, $"largest difference {worst:G3} > 1e-4");
    }

    [FixtureFact(SavedModelFixture.Folder + "/candy")]
    public void Summary_and_compile_follow_the_saved_model()
    {
        var model = Model.Load(new SavedModelFixture("candy").Directory);
        Assert.Equal("sequential_6", model.Name);
        Assert.Equal(["lstm_6", "dense_6"], model.Layers.Select(l => l.Name));
        Assert.Contains("Total params: 40,901", model.SummaryText().Replace('\u00a0', ','));
        Assert.IsType<Layerwise.Training.Losses.MeanSquaredError>(Assert.Single(model.Losses));
        Assert.Equal(0.001, Assert.IsType<Adam>(model.Optimizer).LearningRate, 6);
    }

    static double Hyper(SavedModelFixture fixture, string name)
    {
        using var reader = BundleReader.Open(Path.Combine(fixture.Directory, "variables", "variables"));
        using var value = reader.ReadTensor($"optimizer/{name}/.ATTRIBUTES/VARIABLE_VALUE");
        return value.item<float>();
    }

    /// <summary>
    /// When a fixture needs a layer that is not registered yet, asserts that the load is refused with a
    /// message naming that class as not implemented, and returns true.
    /// </summary>
    static bool RefusedForMissingLayers(SavedModelFixture fixture, bool compile)
    {
        var missing = LayersAddedElsewhere.GetValueOrDefault(fixture.Name, []).Where(c => !LayerRegistry.TryResolve(c, out _)).ToList();
        if (missing.Count == 0) return false;
        var refusal = Assert.ThrowsAny<ModelFileException>(() => Model.Load(fixture.Directory, compile));
        foreach (var className in missing)
            Assert.Contains($"Keras layer class '{className}'", refusal.Message);
        Assert.Contains("is not implemented in Layerwise", refusal.Message);
        return true;
    }
}
