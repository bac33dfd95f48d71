using System.IO.Compression;
using System.Text.Json.Nodes;
using Layerwise.Formats.Hdf5;
using Layerwise.Layers;
using Layerwise.Models;
using static TorchSharp.torch;

namespace Layerwise.Tests.Formats;

/// <summary>
/// Models with unknown dimensions through every format: configs write Keras' <c>null</c> for each unknown
/// size and read it back as -1; the loaded model takes inputs of any size there and predicts what the
/// saved one did, on two different sizes. Weights (TF checkpoint, .h5, .weights.h5) do not depend on the
/// unknown sizes, so they also load into a model built for one known size.
/// </summary>
[Collection(GlobalRandomState.Name)]
public class UnknownDimensionFilesTests
{
    public UnknownDimensionFilesTests() => TutorialModel.SingleThread();

    static Sequential SequenceModel(long steps) => new(
        new LSTM(4, returnSequences: true, inputShape: [steps, 3]),
        new Conv1D(2, [2], padding: "causal"),
        new GlobalMaxPooling1D(),
        new Dense(2));

    static Functional ImageModel()
    {
        var inputs = Keras.Input([-1, -1, 3], name: "image");
        var x = new Conv2D(4, [3, 3], activation: "relu").Call(inputs);
        x = new MaxPooling2D([2, 2]).Call(x);
        return new Functional(inputs, new Dense(2).Call(new GlobalAveragePooling2D().Call(x)));
    }

    static string ConfigText(string path)
    {
        if (path.EndsWith(".h5")) return ReadH5Config(path);
        if (!path.EndsWith(".keras")) return File.ReadAllText(Path.Combine(path, "config.json"));
        using var archive = ZipFile.OpenRead(path);
        using var reader = new StreamReader(archive.GetEntry("config.json")!.Open());
        return reader.ReadToEnd();
    }

    static string ReadH5Config(string path)
    {
        using var input = Hdf5Input.Open(path, path);
        return JsonNode.Parse(input.ReadString(input.Root, "model_config"))!.ToJsonString();
    }

    static void AssertPredictsTheSame(Model expected, Model actual, params long[][] sampleShapes)
    {
        foreach (var shape in sampleShapes)
        {
            using var x = randn([3, .. shape]);
            PredictionAssert.Same(expected, actual, x, ShapeText.Format(x.shape));
        }
    }

    public static TheoryData<string> ModelPaths => new() { "m.h5", "m.keras", "m_dir" };

    [Theory]
    [MemberData(nameof(ModelPaths))]
    public void A_sequence_model_with_unknown_steps_round_trips(string fileName)
    {
        using var dir = new TempDirectory();
        Backend.SetRandomSeed(21);
        var model = SequenceModel(-1);
        model.Compile("adam", "mse");
        model.Fit(randn(8, 5, 3), randn(8, 2), batchSize: 4, verbose: 0);
        var path = dir.Combine(fileName);
        model.Save(path);

        var config = ConfigText(path);
        Assert.Contains(fileName.EndsWith(".h5") ? "\"batch_input_shape\":[null,null,3]" : "[null,null,3]", config.Replace(" ", ""));
        var loaded = Assert.IsType<Sequential>(Model.Load(path));

        Assert.Equal([-1, 3], loaded.InputShape!);
        Assert.Equal(model.SummaryText(), loaded.SummaryText());
        AssertPredictsTheSame(model, loaded, [5, 3], [11, 3]);
    }

    [Theory]
    [MemberData(nameof(ModelPaths))]
    public void A_fully_convolutional_functional_model_round_trips(string fileName)
    {
        using var dir = new TempDirectory();
        Backend.SetRandomSeed(22);
        var model = ImageModel();
        var path = dir.Combine(fileName);
        model.Save(path);

        var config = ConfigText(path).Replace(" ", "");
        Assert.Contains(fileName.EndsWith(".h5") ? "\"batch_input_shape\":[null,null,null,3]" : "\"batch_shape\":[null,null,null,3]", config);
        var loaded = Assert.IsType<Functional>(Model.Load(path));

        Assert.Equal([-1, -1, 3], loaded.Inputs[0].Shape);
        Assert.Equal(model.SummaryText(), loaded.SummaryText());
        AssertPredictsTheSame(model, loaded, [16, 16, 3], [24, 20, 3]);
    }

    [Theory]
    [InlineData("ckpt/cp.ckpt")]
    [InlineData("weights.h5")]
    [InlineData("model.weights.h5")]
    public void Weights_of_an_unknown_steps_model_round_trip_and_load_into_a_fixed_length_model(string fileName)
    {
        using var dir = new TempDirectory();
        Backend.SetRandomSeed(23);
        var model = SequenceModel(-1);
        var path = dir.Combine(fileName);
        model.SaveWeights(path);

        var fresh = SequenceModel(-1);
        fresh.LoadWeights(path);
        var fixedLength = SequenceModel(7);
        fixedLength.LoadWeights(path);

        Assert.Equal(TutorialModel.WeightValues(model), TutorialModel.WeightValues(fresh));
        AssertPredictsTheSame(model, fresh, [4, 3], [9, 3]);
        AssertPredictsTheSame(model, fixedLength, [7, 3]);
    }

    [Fact]
    public void A_tf_keras_2_config_with_null_sizes_loads_as_unknown_dimensions()
    {
        // As tf.keras 2.x writes model.to_json() for Sequential([InputLayer((None, 8)), LSTM(4), Dense(1)]).
        const string json = """
        {"class_name": "Sequential", "config": {"name": "sequential", "layers": [
          {"class_name": "InputLayer", "config": {"batch_input_shape": [null, null, 8], "dtype": "float32", "sparse": false, "ragged": false, "name": "lstm_input"}},
          {"class_name": "LSTM", "config": {"name": "lstm", "trainable": true, "dtype": "float32", "return_sequences": false, "units": 4}},
          {"class_name": "Dense", "config": {"name": "dense", "trainable": true, "dtype": "float32", "units": 1}}]},
         "keras_version": "2.9.0", "backend": "tensorflow"}
        """;
        var model = Assert.IsType<Sequential>(Model.FromJson(json));

        Assert.Equal([-1, 8], model.InputShape!);
        Assert.Contains("(None, None, 8)", ShapeText.WithBatch(model.InputShape!));
        using var five = model.Predict(zeros(2, 5, 8));
        using var nine = model.Predict(zeros(2, 9, 8));
        Assert.Equal([2, 1], five.shape);
        Assert.Equal([2, 1], nine.shape);
    }

    [Fact]
    public void A_Keras_3_config_with_null_sizes_loads_as_unknown_dimensions()
    {
        // As Keras 3 writes config.json for a functional model on keras.Input((None, None, 1)).
        const string json = """
        {"module": "keras", "class_name": "Functional", "config": {"name": "functional", "trainable": true, "layers": [
          {"module": "keras.layers", "class_name": "InputLayer", "config": {"batch_shape": [null, null, null, 1], "dtype": "float32", "sparse": false, "name": "input_layer"}, "registered_name": null, "name": "input_layer", "inbound_nodes": []},
          {"module": "keras.layers", "class_name": "Conv2D", "config": {"name": "conv2d", "trainable": true, "dtype": "float32", "filters": 2, "kernel_size": [3, 3], "strides": [1, 1], "padding": "same", "data_format": "channels_last", "dilation_rate": [1, 1], "groups": 1, "activation": "linear", "use_bias": true},
           "registered_name": null, "build_config": {"input_shape": [null, null, null, 1]}, "name": "conv2d",
           "inbound_nodes": [{"args": [{"class_name": "__keras_tensor__", "config": {"shape": [null, null, null, 1], "dtype": "float32", "keras_history": ["input_layer", 0, 0]}}], "kwargs": {}}]}],
          "input_layers": [["input_layer", 0, 0]], "output_layers": [["conv2d", 0, 0]]}, "registered_name": "Functional"}
        """;
        var model = Assert.IsType<Functional>(Model.FromJson(json));

        Assert.Equal([-1, -1, 1], model.Inputs[0].Shape);
        Assert.Equal([-1, -1, 2], model.Outputs[0].Shape);
        using var output = model.Predict(zeros(1, 7, 5, 1));
        Assert.Equal([1, 7, 5, 2], output.shape);
    }

    [Fact]
    public void Keras_1_recurrent_and_Conv1D_configs_without_input_length_take_any_length()
    {
        // Keras 1 gave the input as input_dim/input_length; a null input_length is Keras 2's (None, input_dim).
        const string json = """
        {"class_name": "Sequential", "config": [
          {"class_name": "Convolution1D", "config": {"name": "convolution1d_1", "trainable": true, "nb_filter": 3, "filter_length": 2,
            "init": "glorot_uniform", "activation": "relu", "border_mode": "valid", "subsample_length": 1, "bias": true,
            "input_dim": 2, "input_length": null}},
          {"class_name": "LSTM", "config": {"name": "lstm_1", "trainable": true, "output_dim": 4, "return_sequences": false}}
        ]}
        """;
        var model = Assert.IsType<Sequential>(Model.FromJson(json));

        Assert.Equal([-1, 2], model.InputShape!);
        using var short_ = model.Predict(zeros(1, 3, 2));
        using var long_ = model.Predict(zeros(1, 12, 2));
        Assert.Equal([1, 4], long_.shape);

        const string recurrentFirst = """
        {"class_name": "Sequential", "config": [
          {"class_name": "SimpleRNN", "config": {"name": "simplernn_1", "trainable": true, "output_dim": 3, "input_dim": 5, "input_length": null}}
        ]}
        """;
        Assert.Equal([-1, 5], Assert.IsType<Sequential>(Model.FromJson(recurrentFirst)).InputShape!);
    }
}
