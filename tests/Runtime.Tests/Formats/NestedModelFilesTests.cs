using Layerwise.Formats.Checkpoint;
using Layerwise.Formats.Hdf5;
using Layerwise.Layers;
using Layerwise.Models;
using Layerwise.Training.Losses;
using Layerwise.Training.Optimizers;
using TorchSharp;
using static TorchSharp.torch;

namespace Layerwise.Tests.Formats;

/// <summary>
/// Models holding a model (a Sequential in a Sequential, a Functional called in a Functional, a frozen
/// base) through every file format: the loaded model predicts the same bits, keeps the optimizer state
/// and the frozen flag, and continued training (seeded) gives bit-identical weights. Layouts are Keras':
/// Keras 2 .h5 groups the nested model's weights under its name with <c>dense/kernel:0</c> names,
/// Keras 3 nests <c>layers/sequential/layers/dense/vars/0</c>, TF checkpoints nest <c>layer_with_weights-k</c>.
/// </summary>
[Collection(GlobalRandomState.Name)]
public class NestedModelFilesTests
{
    public NestedModelFilesTests() => TutorialModel.SingleThread();

    static Model Create(string kind)
    {
        Model model;
        switch (kind)
        {
            case "seq_in_seq":
            case "frozen_base":
                var inner = new Sequential(new Dense(16, activation: "relu", inputShape: [8]), new Dense(6, activation: "relu"));
                if (kind == "frozen_base") inner.Trainable = false;
                model = new Sequential(inner, new Dropout(0.25), new Dense(3));
                break;
            default:
                var baseIn = Keras.Input([8]);
                var baseModel = new Functional(baseIn, new Dense(6, activation: "tanh").Call(new Dense(10, activation: "relu").Call(baseIn)));
                var inputs = Keras.Input([8]);
                var features = baseModel.Call(inputs);
                model = new Functional(inputs, new Dense(3).Call(new Concatenate().Call(features, inputs)));
                break;
        }
        model.Compile(new Adam(), new SparseCategoricalCrossentropy(fromLogits: true));
        return model;
    }

    static (Tensor X, Tensor Y) Data() =>
        (rand([40, 8], generator: new Generator(51)), randint(0, 3, [40], dtype: ScalarType.Int64, generator: new Generator(52)));

    public static TheoryData<string, string> Cases()
    {
        var data = new TheoryData<string, string>();
        foreach (var kind in new[] { "seq_in_seq", "frozen_base", "fn_in_fn" })
            foreach (var file in new[] { "m.h5", "m.keras", "m_dir" })
                data.Add(kind, file);
        return data;
    }

    static void AssertSameOptimizerState(Model expected, Model actual)
    {
        Assert.Equal(expected.Optimizer!.Iterations, actual.Optimizer!.Iterations);
        Assert.Equal(expected.TrainableWeights.Count, actual.TrainableWeights.Count);
        foreach (var (original, restored) in expected.TrainableWeights.Zip(actual.TrainableWeights))
            foreach (var slot in expected.Optimizer.SlotNames)
                Assert.True(expected.Optimizer.GetSlot(original, slot).eq(actual.Optimizer.GetSlot(restored, slot)).all().item<bool>(),
                            $"slot {slot} of {original.Path} differs");
    }

    static void AssertContinuesIdentically(Model model, Model loaded, Tensor x, Tensor y)
    {
        Backend.SetRandomSeed(77);
        model.Fit(x, y, batchSize: 8, epochs: 2, verbose: 0);
        Backend.SetRandomSeed(77);
        loaded.Fit(x, y, batchSize: 8, epochs: 2, verbose: 0);
        Assert.Equal(TutorialModel.WeightValues(model), TutorialModel.WeightValues(loaded));
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Whole_model_round_trips_and_continues_training_identically(string kind, string fileName)
    {
        using var dir = new TempDirectory();
        Backend.SetRandomSeed(31);
        var (x, y) = Data();
        var model = Create(kind);
        model.Fit(x, y, batchSize: 8, epochs: 2, verbose: 0);
        var path = dir.Combine(fileName);
        model.Save(path);

        var loaded = Model.Load(path);

        Assert.Equal(model.GetType(), loaded.GetType());
        Assert.Equal(model.SummaryText(), loaded.SummaryText());
        var nested = Assert.Single(loaded.Layers.OfType<Model>());
        Assert.Equal(kind != "frozen_base", nested.Trainable);
        Assert.All(nested.Layers.Where(l => l is not InputLayer), l => Assert.Equal(kind != "frozen_base", l.Trainable));
        PredictionAssert.Same(model, loaded, x);
        AssertSameOptimizerState(model, loaded);
        AssertContinuesIdentically(model, loaded, x, y);
    }

    [Theory]
    [InlineData("seq_in_seq")]
    [InlineData("frozen_base")]
    [InlineData("fn_in_fn")]
    public void Checkpoint_round_trips_into_a_fresh_model(string kind)
    {
        using var dir = new TempDirectory();
        Backend.SetRandomSeed(41);
        var (x, y) = Data();
        var model = Create(kind);
        model.Fit(x, y, batchSize: 8, epochs: 1, verbose: 0);
        var prefix = dir.Combine("cp", "ckpt");
        model.SaveWeights(prefix);

        var restored = Create(kind);
        restored.LoadWeights(prefix);

        Assert.Equal(TutorialModel.WeightValues(model), TutorialModel.WeightValues(restored));
        AssertSameOptimizerState(model, restored);
        AssertContinuesIdentically(model, restored, x, y);
    }

    [Fact]
    public void Checkpoint_nests_the_inner_model_layers_under_its_node()
    {
        using var dir = new TempDirectory();
        Backend.SetRandomSeed(43);
        var (x, y) = Data();
        var model = Create("seq_in_seq");
        model.Fit(x, y, batchSize: 8, epochs: 1, verbose: 0);
        var prefix = dir.Combine("ckpt");
        model.SaveWeights(prefix);

        using var reader = BundleReader.Open(prefix);
        // Root: layer_with_weights-0 is the inner Sequential (layer-0); inside it, its own layer_with_weights-k.
        Assert.Contains("layer_with_weights-0/layer_with_weights-0/kernel/.ATTRIBUTES/VARIABLE_VALUE", reader.Entries.Keys);
        Assert.Contains("layer_with_weights-0/layer_with_weights-1/bias/.ATTRIBUTES/VARIABLE_VALUE", reader.Entries.Keys);
        Assert.Contains("layer_with_weights-0/layer_with_weights-1/kernel/.OPTIMIZER_SLOT/optimizer/m/.ATTRIBUTES/VARIABLE_VALUE", reader.Entries.Keys);
        Assert.Contains("layer_with_weights-1/kernel/.ATTRIBUTES/VARIABLE_VALUE", reader.Entries.Keys);
        var graph = TrackableObjectGraph.Parse(reader.ReadString(KerasCheckpointLayout.ObjectGraphKey));
        var root = graph.Nodes[0];
        int innerNode = root.Children.Single(c => c.LocalName == "layer-0").NodeId;
        Assert.Equal(innerNode, root.Children.Single(c => c.LocalName == "layer_with_weights-0").NodeId);
        Assert.Equal(["layer_with_weights-0", "layer-0", "layer_with_weights-1", "layer-1"], graph.Nodes[innerNode].Children.Select(c => c.LocalName));
    }

    [Fact]
    public void Keras_2_h5_groups_the_nested_weights_under_the_nested_model_name()
    {
        using var dir = new TempDirectory();
        var model = (Sequential)Create("seq_in_seq");
        var inner = (Sequential)model.Layers[0];
        var path = dir.Combine("m.h5");
        model.Save(path);

        using var input = Hdf5Input.Open(path, path);
        var weights = input.Group(input.Root, "model_weights");
        Assert.Equal(model.Layers.Select(l => l.Name), input.ReadStringList(weights, "layer_names"));
        var group = input.Group(weights, inner.Name);
        string first = inner.Layers[0].Name, second = inner.Layers[1].Name;
        Assert.Equal([$"{first}/kernel:0", $"{first}/bias:0", $"{second}/kernel:0", $"{second}/bias:0"], input.ReadStringList(group, "weight_names"));
        Assert.True(input.HasLink(input.Group(group, first), "kernel:0"));
    }

    [Fact]
    public void Keras_3_weights_nest_the_inner_layers_under_layers_of_the_nested_model()
    {
        using var dir = new TempDirectory();
        var model = Create("seq_in_seq");
        var path = dir.Combine("m.weights.h5");
        model.SaveWeights(path);

        using var input = Hdf5Input.Open(path, path);
        var inner = input.Group(input.Group(input.Root, "layers"), "sequential");
        foreach (var dense in new[] { "dense", "dense_1" })
        {
            var vars = input.Group(input.Group(input.Group(inner, "layers"), dense), "vars");
            Assert.True(input.HasLink(vars, "0") && input.HasLink(vars, "1"), dense);
        }
        Assert.True(input.HasLink(input.Group(input.Group(input.Group(input.Root, "layers"), "dense"), "vars"), "0"));

        var restored = Create("seq_in_seq");
        restored.LoadWeights(path);
        Assert.Equal(TutorialModel.WeightValues(model), TutorialModel.WeightValues(restored));
    }
}

/// <summary>
/// Weight order of a nested model in Keras 2 .h5 files, and the file read by h5py as tf.keras 2's
/// <c>load_weights_from_hdf5_group</c> reads it.
/// </summary>
[Collection(GlobalRandomState.Name)]
public class NestedModelH5LayoutTests
{
    public NestedModelH5LayoutTests() => TutorialModel.SingleThread();

    [Fact]
    public void Nested_model_lists_trainable_weights_first_as_keras_2_legacy_weights()
    {
        using var dir = new TempDirectory();
        var inner = new Sequential([new BatchNormalization(inputShape: [3], name: "h5nest_bn"), new Dense(4, name: "h5nest_dense")], name: "h5nest_base");
        var model = new Sequential(inner, new Dense(2));
        var path = dir.Combine("bn.h5");
        model.Save(path);

        using (var input = Hdf5Input.Open(path, path))
        {
            var group = input.Group(input.Group(input.Root, "model_weights"), "h5nest_base");
            // tf.keras saves layer.trainable_weights + layer.non_trainable_weights: the moving statistics go last.
            Assert.Equal(["h5nest_bn/gamma:0", "h5nest_bn/beta:0", "h5nest_dense/kernel:0", "h5nest_dense/bias:0",
                          "h5nest_bn/moving_mean:0", "h5nest_bn/moving_variance:0"], input.ReadStringList(group, "weight_names"));
        }
        // Values differ per weight so that a mix-up shows.
        using (no_grad())
            foreach (var (w, i) in model.Weights.Select((w, i) => (w, i))) w.Value.fill_(i + 1);
        model.Save(path);
        var loaded = Model.Load(path, compile: false);
        Assert.Equal(TutorialModel.WeightValues(model), TutorialModel.WeightValues(loaded));
    }

    const string Reader = """
        import h5py, sys
        import numpy as np
        f = h5py.File(sys.argv[1], 'r')
        text = lambda v: v.decode('utf-8') if hasattr(v, 'decode') else v
        weights = f['model_weights']
        for layer in [text(n) for n in weights.attrs['layer_names']]:
            for w in weights[layer].attrs['weight_names']:
                v = np.asarray(weights[layer][text(w)])
                print(layer, text(w), 'x'.join(str(s) for s in v.shape), repr(float(v.astype(np.float64).sum())))
        """;

    [H5PyFact]
    public void Nested_h5_reads_in_h5py_with_the_nested_model_as_one_layer_group()
    {
        using var dir = new TempDirectory();
        var inner = new Sequential([new Dense(4, inputShape: [5], name: "h5py_nest_a"), new Dense(3, name: "h5py_nest_b")], name: "h5py_nest_base");
        var head = new Dense(2, name: "h5py_nest_head");
        var model = new Sequential(inner, head);
        var path = dir.Combine("nested.h5");
        model.Save(path);

        var lines = H5Py.Run(Reader, [path]).Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split(' ')).ToList();

        Assert.Equal(["h5py_nest_base h5py_nest_a/kernel:0 5x4", "h5py_nest_base h5py_nest_a/bias:0 4",
                      "h5py_nest_base h5py_nest_b/kernel:0 4x3", "h5py_nest_base h5py_nest_b/bias:0 3",
                      "h5py_nest_head h5py_nest_head/kernel:0 3x2", "h5py_nest_head h5py_nest_head/bias:0 2"],
                     lines.Select(l => string.Join(' ', l.Take(3))));
        foreach (var (line, w) in lines.Zip(model.Weights))
        {
            using var sum = w.Value.detach().to_type(ScalarType.Float64).sum();
            Assert.Equal(sum.item<double>(), double.Parse(line[3], System.Globalization.CultureInfo.InvariantCulture), 9);
        }
    }
}
