using System.Text.Json.Nodes;
using Layerwise.Layers;
using Layerwise.Models;
using Layerwise.Serialization;
using Layerwise.Training.Losses;
using Layerwise.Training.Optimizers;
using TorchSharp;
using static TorchSharp.torch;

namespace Layerwise.Tests.Serialization;

public class TrackingTests
{
    [Fact]
    public void Dense_lists_its_weight_fields_with_Keras_names()
    {
        var dense = new Dense(3, inputShape: [2]);
        dense.EnsureBuilt([2]);
        Assert.Equal([("kernel", TrackedFieldKind.Variable), ("bias", TrackedFieldKind.Variable)],
                     dense.TrackedFields.Select(f => (f.Name, f.Kind)));
        Assert.Same(dense.Kernel, dense.TrackedFields[0].Variable);
    }

    [Fact]
    public void Subclassed_model_tracks_its_sub_layer_fields_in_declaration_order()
    {
        var model = new TwoTower(4, 2);
        Assert.Equal(["hidden", "anti", "dropout", "head"], model.TrackedFields.Select(f => f.Name));
        Assert.Equal(["Dense", "Antirectifier", "Dropout", "Dense"], model.Layers.Select(l => l.ClassName));
    }

    [Fact]
    public void Subclassed_model_compiles_fits_and_predicts_with_generated_tracking()
    {
        Backend.SetRandomSeed(3);
        torch.set_num_threads(1);
        var model = new TwoTower(8, 3);
        model.Compile(new Adam(0.01), new SparseCategoricalCrossentropy(fromLogits: true));
        using var x = torch.randn(64, 5);
        using var y = torch.randint(0, 3, [64], ScalarType.Int64);
        var history = model.Fit(x, y, batchSize: 16, epochs: 5, verbose: 0);
        // hidden kernel+bias, antirectifier kernel, head kernel+bias
        Assert.Equal(["kernel", "bias", "kernel", "kernel", "bias"], model.Weights.Select(w => w.Name));
        Assert.Equal(5 * 8 + 8 + 16 * 8 + 8 * 3 + 3, model.CountParams());
        var losses = history["loss"];
        Assert.True(losses[^1] < losses[0], $"loss should fall: {string.Join(", ", losses)}");
        using var predictions = model.Predict(x);
        Assert.Equal([64L, 3L], predictions.shape);
    }

    [Fact]
    public void Weights_round_trip_bit_exactly_through_config_and_tracked_order()
    {
        Backend.SetRandomSeed(5);
        var model = new TwoTower(6, 2, name: "tower");
        using var x = torch.randn(4, 3);
        using var expected = model.Predict(x);
        var saved = model.Weights.Select(w => w.ToCpu().data<float>().ToArray()).ToList();

        var restored = (TwoTower)LayerRegistry.Deserialize(JsonNode.Parse(LayerRegistry.Serialize(model).ToJsonString()));
        restored.EnsureBuilt([3]);
        Assert.Equal(model.Weights.Select(w => (w.Name, string.Join(",", w.Shape))), restored.Weights.Select(w => (w.Name, string.Join(",", w.Shape))));
        foreach (var (variable, values) in restored.Weights.Zip(saved))
        {
            using var t = torch.tensor(values, variable.Shape);
            variable.Assign(t);
        }
        Assert.Equal(saved.Select(BitsOf), restored.Weights.Select(w => BitsOf(w.ToCpu().data<float>().ToArray())));
        using var actual = restored.Predict(x);
        Assert.Equal(BitsOf(expected.data<float>().ToArray()), BitsOf(actual.data<float>().ToArray()));
    }

    static string BitsOf(float[] values) => Convert.ToHexString(System.Runtime.InteropServices.MemoryMarshal.AsBytes(values.AsSpan()));
}
