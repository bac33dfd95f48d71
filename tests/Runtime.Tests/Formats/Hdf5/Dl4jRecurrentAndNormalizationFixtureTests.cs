using Layerwise.Initializers;
using Layerwise.Layers;
using Layerwise.Models;
using TorchSharp;

namespace Layerwise.Tests.Formats.Hdf5;

/// <summary>
/// Deeplearning4j's Keras cases for recurrent and normalization layers (shared/fixtures/dl4j/README.md):
/// SimpleRNN and LSTM written by Keras 2.1.3 (fused kernels, hard_sigmoid gates, dropout in the
/// config), an LSTM written by Keras 1.2.2 (twelve per-gate arrays, Keras 1 keys, bare-list config,
/// no backend attribute), and a CNN with Conv2D + BatchNormalization whose reference is a
/// pair of .npy files. Each must give the outputs Keras computed.
/// </summary>
public class Dl4jRecurrentAndNormalizationFixtureTests
{
    public Dl4jRecurrentAndNormalizationFixtureTests() => torch.set_num_threads(1);

    public static TheoryData<string, string> RecurrentCases => new()
    {
        { "simple_rnn__simple_rnn_tf_keras_2", "simple_rnn_tf_keras_2" },
        { "simple_flatten_lstm__simple_flatten_lstm_tf_keras_2", "simple_flatten_lstm_tf_keras_2" },
        { "simple_lstm__simple_lstm_tf_keras_1", "simple_lstm_tf_keras_1" },
    };

    [FixtureTheory("dl4j")]
    [MemberData(nameof(RecurrentCases))]
    public void Whole_model_h5_gives_Keras_predictions(string folder, string stem)
    {
        Dl4jCase.AssertPredictions(Dl4jCase.LoadWholeModel(folder, stem), folder, stem);
    }

    [FixtureTheory("dl4j")]
    [MemberData(nameof(RecurrentCases))]
    public void Config_json_and_weights_h5_give_Keras_predictions(string folder, string stem)
    {
        Dl4jCase.AssertPredictions(Dl4jCase.LoadConfigAndWeights(folder, stem), folder, stem);
    }

    [FixtureFact("dl4j/simple_lstm__simple_lstm_tf_keras_1/simple_lstm_tf_keras_1_model.h5")]
    public void Keras1_LSTM_config_keys_become_Keras_2_arguments()
    {
        var model = Dl4jCase.LoadWholeModel("simple_lstm__simple_lstm_tf_keras_1", "simple_lstm_tf_keras_1");
        var lstm = Assert.IsType<LSTM>(model.Layers[0]);
        Assert.Equal((50, "tanh", "hard_sigmoid", 0.2, 0.0, true), (lstm.Units, lstm.Activation, lstm.RecurrentActivation, lstm.Dropout, lstm.RecurrentDropout, lstm.UnitForgetBias));
        Assert.IsType<Orthogonal>(lstm.RecurrentInitializer);
        Assert.Equal([1L, 1L], ((Sequential)model).InputShape!);
    }

    const string BatchNormFolder = "dl4j/fullconfigs_cnn__cnn_batch_norm";

    /// <summary>Conv2D, BatchNormalization (moving statistics), ReLU, Conv2D, Flatten, Dense; reference in .npy, 1e-4 absolute.</summary>
    [FixtureFact(BatchNormFolder + "/cnn_batch_norm.h5")]
    public void Cnn_with_batch_normalization_gives_Keras_predictions()
    {
        var model = Model.Load(Fixtures.Get(BatchNormFolder + "/cnn_batch_norm.h5"));
        using var x = Layerwise.Data.NumpyFile.Read(Fixtures.Get(BatchNormFolder + "/input.npy")).to(torch.float32);
        using var expected = Layerwise.Data.NumpyFile.Read(Fixtures.Get(BatchNormFolder + "/predictions.npy")).to(torch.float32);
        using var actual = model.Predict(x);
        Assert.Equal(expected.shape, actual.shape);
        using var difference = (actual - expected).abs();
        Assert.True(difference.max().item<float>() <= 1e-4f, $"largest difference {difference.max().item<float>():G3}");
    }
}
