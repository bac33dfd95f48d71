using Layerwise.Models;
using TorchSharp;

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
        Dl4jCase.AssertPredictions(Dl4jCase.LoadWholeModel(folder, stem), folder, stem);
    }

    [FixtureTheory("dl4j")]
    [MemberData(nameof(Cases))]
    public void Config_json_and_weights_h5_give_Keras_predictions(string folder, string stem)
    {
        Dl4jCase.AssertPredictions(Dl4jCase.LoadConfigAndWeights(folder, stem), folder, stem);
    }

    /// <summary>A Keras 1.2.2 file (no backend attribute, Sequential config as a bare list, Keras 1 keys, twelve per-gate LSTM arrays) gives Keras' predictions.</summary>
    [FixtureFact("dl4j/simple_lstm__simple_lstm_tf_keras_1/simple_lstm_tf_keras_1_model.h5")]
    public void Keras1_bare_list_config_with_LSTM_gives_Keras_predictions()
    {
        const string folder = "simple_lstm__simple_lstm_tf_keras_1", stem = "simple_lstm_tf_keras_1";
        Dl4jCase.AssertPredictions(Dl4jCase.LoadWholeModel(folder, stem), folder, stem);
    }
}
