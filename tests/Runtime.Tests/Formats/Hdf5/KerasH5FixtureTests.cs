using Layerwise.Formats;
using Layerwise.Tests.Formats;
using Layerwise.Layers;
using Layerwise.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace Layerwise.Tests.Formats.Hdf5;

/// <summary>
/// Real .h5 files written by Keras 2.2.4, 2.4.0, 2.14.0 (tf.keras) and 3.3.3 (legacy h5), loaded
/// and run on the fixture inputs; their outputs were computed independently (TensorFlow.js and a
/// numpy forward pass; see shared/fixtures/README.md).
/// </summary>
public class KerasH5FixtureTests
{
    public KerasH5FixtureTests() => torch.set_num_threads(1);

    [FixtureTheory("keras-h5")]
    [InlineData("dig94_Mnsit__keras_mnist", "mnist8_784")]
    [InlineData("dig94_Mnsit__keras_mnist", "rand8_784")]
    [InlineData("01110001_ml-mnist__mnist_cnn", "mnist8_784")]
    [InlineData("01110001_ml-mnist__mnist_cnn", "rand8_784")]
    [InlineData("MrEliptik_Keras_to_TF_NCS2__model", "mnist8_784")]
    [InlineData("MrEliptik_Keras_to_TF_NCS2__model", "rand8_784")]
    [InlineData("4bumuhammad_python-keras-mnist-classifier__mnist_model", "mnist8_784")]
    [InlineData("4bumuhammad_python-keras-mnist-classifier__mnist_model", "rand8_784")]
    public void Real_Keras_h5_loads_and_predicts_the_expected_outputs(string name, string input)
    {
        var model = Model.Load(Fixtures.Get($"keras-h5/{name}.h5"));
        var shape = ((Sequential)model).InputShape!;
        using var x = ReadFloats(Fixtures.Get($"inputs/{input}.f32")).reshape([8, .. shape]);
        using var expected = ReadFloats(Fixtures.Get($"keras-h5/{name}.expected.{input}.f32")).reshape(8, -1);
        using var actual = model.Predict(x);
        Assert.Equal(expected.shape, actual.shape);
        double worst = (actual - expected).abs().max().item<float>();
        Assert.True(worst <= 1e-4, $"{name} on {input}: largest difference {worst:G3} > 1e-4");
    }

    [FixtureTheory("keras-h5")]
    [InlineData("dig94_Mnsit__keras_mnist", "sequential_1", new[] { "flatten_1", "dense_2", "dropout_1", "dense_3" }, 101_770L)]
    [InlineData("01110001_ml-mnist__mnist_cnn", "sequential", new[] { "conv2d", "max_pooling2d", "conv2d_1", "max_pooling2d_1", "conv2d_2", "flatten", "dense", "dense_1" }, 93_322L)]
    [InlineData("4bumuhammad_python-keras-mnist-classifier__mnist_model", "sequential", new[] { "dense", "dense_1", "dense_2" }, 55_050L)]
    public void Real_Keras_h5_summary_names_the_saved_layers_and_counts_their_parameters(string name, string modelName, string[] layers, long parameters)
    {
        var model = Model.Load(Fixtures.Get($"keras-h5/{name}.h5"));
        var summary = model.SummaryText();
        Assert.StartsWith($"Model: \"{modelName}\"", summary);
        Assert.Equal(layers, model.Layers.Select(l => l.Name));
        Assert.Contains($"Total params: {parameters:N0}", summary.Replace('\u00a0', ','));
        foreach (var layer in layers) Assert.Contains($" {layer} (", summary);
    }

    [FixtureFact("keras-h5/dig94_Mnsit__keras_mnist.h5")]
    public void Loaded_real_file_is_compiled_with_its_training_config_and_optimizer_state()
    {
        var model = Model.Load(Fixtures.Get("keras-h5/dig94_Mnsit__keras_mnist.h5"));
        Assert.True(model.IsCompiled);
        var adam = Assert.IsType<Layerwise.Training.Optimizers.Adam>(model.Optimizer);
        Assert.Equal(0.001, adam.LearningRate, 6);
        Assert.Equal(["accuracy"], model.Metrics.Select(m => m.Name));
        Assert.True(adam.Iterations > 0);
        var kernel = model.Layers[1].Weights[0];
        using var m = adam.GetSlot(kernel, "m").abs().sum();
        Assert.True(m.item<float>() > 0, "Adam's m slot of dense_2/kernel should hold the saved (non-zero) state");
        // tf.keras 2.14's names (iteration:0, Adam/m/conv2d/kernel:0) too
        var cnn = Model.Load(Fixtures.Get("keras-h5/01110001_ml-mnist__mnist_cnn.h5"));
        Assert.True(cnn.Optimizer!.Iterations > 0);
        using var v = cnn.Optimizer.GetSlot(cnn.Layers[0].Weights[0], "v").abs().sum();
        Assert.True(v.item<float>() > 0);
    }

    [FixtureTheory("keras-h5")]
    [InlineData("dig94_Mnsit__keras_mnist")]
    [InlineData("01110001_ml-mnist__mnist_cnn")]
    [InlineData("4bumuhammad_python-keras-mnist-classifier__mnist_model")]
    public void Optimizer_state_of_every_Keras_generation_is_matched_to_the_weights(string name)
    {
        var output = new StringWriter();
        Output.Writer = output;
        var model = Model.Load(Fixtures.Get($"keras-h5/{name}.h5"));
        Assert.DoesNotContain("WARNING", output.ToString());
        Assert.True(model.Optimizer!.Iterations > 0);
        Assert.Equal(model.TrainableWeights.Count, model.Optimizer.SlotVariables.Count);
        foreach (var weight in model.TrainableWeights)
        {
            using var v = model.Optimizer.GetSlot(weight, "v").abs().sum();
            Assert.True(v.item<float>() > 0, $"{weight.Path}: the second-moment slot should hold the saved state");
        }
    }

    [FixtureFact("keras-h5/nnom_mnist-densenet__keras_mnist_model.h5")]
    public void Lambda_model_is_refused_with_an_explanation()
    {
        var path = Fixtures.Get("keras-h5/nnom_mnist-densenet__keras_mnist_model.h5");
        var error = Assert.Throws<LambdaLayerException>(() => Model.Load(path));
        Assert.Equal("lambda_1", error.LayerName);
        Assert.Equal(path, error.FilePath);
        Assert.Contains("Python code", error.Message);
        Assert.Contains("[Layer] class", error.Message);
    }

    [FixtureFact("keras-h5/ishansohony_Kaggle-Tutorial__keras_mnist.h5")]
    public void Weights_only_file_is_refused_by_Load_with_a_hint()
    {
        var error = Assert.Throws<ModelFileException>(() => Model.Load(Fixtures.Get("keras-h5/ishansohony_Kaggle-Tutorial__keras_mnist.h5")));
        Assert.Contains("weights-only", error.Message);
    }

    /// <summary>
    /// Keras 1 <c>save_weights</c> (names like <c>dense_1_W:0</c>, convolution kernels in Theano order
    /// [filters, in, rows, cols]) into the architecture it was saved from (Kaggle's MNIST tutorial:
    /// two 3x3 convolutions, pooling, dropout, dense 128, dropout, dense 10; channels-first input).
    /// </summary>
    [H5PyFact("keras-h5/ishansohony_Kaggle-Tutorial__keras_mnist.h5")]
    public void Keras1_weights_only_file_loads_into_a_matching_architecture()
    {
        var model = new Sequential(
            new Conv2D(32, [3, 3], activation: "relu", dataFormat: "channels_first", inputShape: [1, 28, 28]),
            new Conv2D(32, [3, 3], activation: "relu", dataFormat: "channels_first"),
            new MaxPooling2D([2, 2], dataFormat: "channels_first"),
            new Dropout(0.25),
            new Flatten(),
            new Dense(128, activation: "relu"),
            new Dropout(0.5),
            new Dense(10, activation: "softmax"));
        var path = Fixtures.Get("keras-h5/ishansohony_Kaggle-Tutorial__keras_mnist.h5");
        model.LoadWeightsHdf5(path);

        var file = ReadWithH5Py(path, ["dense_1/dense_1_W:0", "dense_2/dense_2_b:0", "convolution2d_1/convolution2d_1_W:0"]);
        AssertClose(file[0], model.Layers[5].Weights[0]);
        AssertClose(file[1], model.Layers[7].Weights[1]);
        using var theano = tensor(file[2].Values).reshape(file[2].Shape);
        using var keras = theano.permute(2, 3, 1, 0).contiguous();
        Assert.Equal([3L, 3, 1, 32], model.Layers[0].Weights[0].Shape);
        using var conv = model.Layers[0].Weights[0].ToCpu();
        Assert.True(keras.allclose(conv));
    }

    static void AssertClose((float[] Values, long[] Shape) expected, Variable actual)
    {
        Assert.Equal(expected.Shape, actual.Shape);
        using var cpu = actual.ToCpu();
        Assert.Equal(expected.Values, cpu.data<float>().ToArray());
    }

    /// <summary>Datasets read by h5py (an independent reader).</summary>
    static List<(float[] Values, long[] Shape)> ReadWithH5Py(string path, string[] datasets)
    {
        var script = "import h5py, sys\nf = h5py.File(sys.argv[1], 'r')\nfor name in sys.argv[2:]:\n    d = f[name][()]\n" +
                     "    print(','.join(str(s) for s in d.shape)); print(' '.join(repr(float(v)) for v in d.ravel()))\n";
        var output = H5Py.Run(script, [path, .. datasets]);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var result = new List<(float[], long[])>();
        for (int i = 0; i + 1 < lines.Length; i += 2)
            result.Add((lines[i + 1].Split(' ').Select(s => float.Parse(s, System.Globalization.CultureInfo.InvariantCulture)).ToArray(),
                        lines[i].Split(',').Select(long.Parse).ToArray()));
        return result;
    }

    internal static Tensor ReadFloats(string path)
    {
        var bytes = File.ReadAllBytes(path);
        var values = new float[bytes.Length / 4];
        Buffer.BlockCopy(bytes, 0, values, 0, values.Length * 4);
        return tensor(values);
    }
}
