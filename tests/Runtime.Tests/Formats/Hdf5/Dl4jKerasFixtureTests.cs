using System.Text.Json.Nodes;
using Layerwise.Formats;
using Layerwise.Formats.Hdf5;
using Layerwise.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace Layerwise.Tests.Formats.Hdf5;

/// <summary>
/// Deeplearning4j's Keras end-to-end cases (files and outputs from real Keras 2.3.1; see
/// shared/fixtures/dl4j/README.md) whose layers the runtime has: Dense with ReLU (plain and with
/// max_value / negative_slope / threshold), Softmax, and Activation layers. Each is loaded both as a
/// whole-model .h5 and as the config.json + weights.h5 pair, and must give Keras' predictions.
/// </summary>
public class Dl4jKerasFixtureTests
{
    public Dl4jKerasFixtureTests() => torch.set_num_threads(1);

    public static TheoryData<string, string> Cases => new()
    {
        { "activations__ReLU_0", "ReLU_0" },
        { "activations__ReLU_2", "ReLU_2" },
        { "activations__Softmax_0", "Softmax_0" },
        { "simple_sparse_xent__simple_sparse_xent_mlp_keras_2", "simple_sparse_xent_mlp_keras_2" },
    };

    [FixtureTheory("dl4j")]
    [MemberData(nameof(Cases))]
    public void Whole_model_h5_gives_Keras_predictions(string folder, string stem)
    {
        var model = Model.Load(Fixtures.Get($"dl4j/{folder}/{stem}_model.h5"));
        AssertPredictions(model, Fixtures.Get($"dl4j/{folder}/{stem}_inputs_and_outputs.h5"));
    }

    [FixtureTheory("dl4j")]
    [MemberData(nameof(Cases))]
    public void Config_json_and_weights_h5_give_Keras_predictions(string folder, string stem)
    {
        var model = Model.FromJson(File.ReadAllText(Fixtures.Get($"dl4j/{folder}/{stem}_config.json")));
        model.LoadWeightsHdf5(Fixtures.Get($"dl4j/{folder}/{stem}_weights.h5"));
        AssertPredictions(model, Fixtures.Get($"dl4j/{folder}/{stem}_inputs_and_outputs.h5"));
    }

    /// <summary>A Keras 1.2.2 file (no backend attribute, Sequential config as a bare list, Keras 1 keys) is read up to its first layer the runtime lacks.</summary>
    [FixtureFact("dl4j/simple_lstm__simple_lstm_tf_keras_1/simple_lstm_tf_keras_1_model.h5")]
    public void Keras1_bare_list_config_is_read_and_names_the_missing_layer()
    {
        var path = Fixtures.Get("dl4j/simple_lstm__simple_lstm_tf_keras_1/simple_lstm_tf_keras_1_model.h5");
        var error = Assert.Throws<ModelFileException>(() => Model.Load(path));
        Assert.Contains("Unknown layer: 'LSTM'", error.Message);
    }

    static void AssertPredictions(Model model, string inputsAndOutputs)
    {
        using var file = Hdf5Input.Open(inputsAndOutputs, inputsAndOutputs);
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

    static Tensor Read(Hdf5Input file, string group, string name)
    {
        var g = file.Group(file.Root, group);
        var (dataset, shape) = file.FloatDataset(g, name);
        return file.ReadFloats(dataset, shape, $"/{group}/{name}");
    }
}
