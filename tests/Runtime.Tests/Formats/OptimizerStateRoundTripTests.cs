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
/// Adadelta, Adagrad, Adamax, Nadam, Ftrl, AdamW and Adam with AMSGrad saved with their state in every
/// format that carries one (.h5, .keras, directory, TF checkpoint): the configuration comes back, every
/// slot comes back bit for bit, and training continued from the loaded model gives the same bits as
/// training continued from the original. Slot names in the files are Keras': tf.keras 2's in .h5 and
/// checkpoints, Keras 3's order in .keras.
/// </summary>
public class OptimizerStateRoundTripTests
{
    public OptimizerStateRoundTripTests() => TutorialModel.SingleThread();

    /// <summary>Each optimizer with settings away from the defaults, so that a lost config key shows.</summary>
    static Optimizer Make(string kind) => kind switch
    {
        "adadelta" => new Adadelta(learningRate: 0.5, rho: 0.9, epsilon: 1e-6),
        "adagrad" => new Adagrad(learningRate: 0.05, initialAccumulatorValue: 0.2, epsilon: 1e-6),
        "adamax" => new Adamax(learningRate: 0.01, beta1: 0.8, beta2: 0.99),
        "nadam" => new Nadam(learningRate: 0.01, beta1: 0.85, beta2: 0.995),
        "ftrl" => new Ftrl(learningRate: 0.05, learningRatePower: -0.6, initialAccumulatorValue: 0.2, l1RegularizationStrength: 0.001,
                           l2RegularizationStrength: 0.002, l2ShrinkageRegularizationStrength: 0.003, beta: 0.1),
        "adamw" => new AdamW(learningRate: 0.01, weightDecay: 0.05, amsgrad: true),
        "amsgrad" => new Adam(learningRate: 0.01, amsgrad: true),
        _ => throw new ArgumentException(kind),
    };

    public static TheoryData<string, string> Cases()
    {
        var data = new TheoryData<string, string>();
        foreach (var kind in new[] { "adadelta", "adagrad", "adamax", "nadam", "ftrl", "adamw", "amsgrad" })
            foreach (var file in new[] { "model.h5", "model.keras", "model_dir", "checkpoint" })
                data.Add(kind, file);
        return data;
    }

    static Sequential CreateModel(Optimizer optimizer)
    {
        var model = new Sequential(new Dense(8, activation: "relu", inputShape: [6]), new Dense(3));
        model.EnsureBuilt([6]);
        model.Compile(optimizer, new SparseCategoricalCrossentropy(fromLogits: true));
        return model;
    }

    static (Tensor X, Tensor Y) Data()
    {
        var generator = new Generator(17);
        return (rand([24, 6], generator: generator), randint(0, 3, [24], dtype: ScalarType.Int64, generator: generator));
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Optimizer_config_and_state_round_trip_and_training_resumes_bit_identically(string kind, string file)
    {
        using var dir = new TempDirectory();
        var (x, y) = Data();
        var model = CreateModel(Make(kind));
        model.Fit(x, y, batchSize: 8, epochs: 2, verbose: 0, shuffle: false);
        var path = dir.Combine(file);

        Model loaded;
        if (file == "checkpoint")
        {
            model.SaveWeights(path);
            loaded = CreateModel(Make(kind));
            loaded.LoadWeights(path);
        }
        else
        {
            model.Save(path);
            loaded = Model.Load(path);
        }

        var (original, restored) = (model.Optimizer!, loaded.Optimizer!);
        Assert.Equal(original.GetType(), restored.GetType());
        Assert.Equal(Layerwise.Serialization.CompileConfig.WriteOptimizer(original, withModule: true).ToJsonString(),
                     Layerwise.Serialization.CompileConfig.WriteOptimizer(restored, withModule: true).ToJsonString());
        Assert.Equal(6, restored.Iterations);
        foreach (var (a, b) in model.TrainableWeights.Zip(loaded.TrainableWeights))
            foreach (var slot in original.SlotNames)
                Assert.True(original.GetSlot(a, slot).equal(restored.GetSlot(b, slot)).all().item<bool>(), $"{kind} slot {slot} of {a.Path} differs after {file}");

        model.Fit(x, y, batchSize: 8, epochs: 2, verbose: 0, shuffle: false);
        loaded.Fit(x, y, batchSize: 8, epochs: 2, verbose: 0, shuffle: false);
        Assert.Equal(TutorialModel.WeightValues(model), TutorialModel.WeightValues(loaded));
    }

    [Fact]
    public void Keras_2_h5_names_the_slots_as_tf_keras_2_does()
    {
        using var dir = new TempDirectory();
        var (x, y) = Data();
        foreach (var (kind, expected) in new[]
                 {
                     ("adadelta", new[] { "accum_grad", "accum_var" }), ("adagrad", ["accumulator"]), ("adamax", ["m", "v"]),
                     ("nadam", ["m", "v"]), ("ftrl", ["accumulator", "linear"]), ("adamw", ["m", "v", "vhat"]),
                 })
        {
            var model = CreateModel(Make(kind));
            model.Fit(x, y, batchSize: 24, epochs: 1, verbose: 0);
            var path = dir.Combine(kind + ".h5");
            model.Save(path);
            using var input = Hdf5Input.Open(path, path);
            var names = input.ReadStringList(input.Group(input.Root, "optimizer_weights"), "weight_names");
            var prefix = model.Optimizer!.ClassName;
            var kernel = model.Layers[0].Weights[0].Path;
            Assert.Equal($"{prefix}/iter:0", names[0]);
            foreach (var slot in expected) Assert.Contains($"{prefix}/{kernel}/{slot}:0", names);
            Assert.Equal(kind == "nadam", names.Contains("Nadam/momentum_cache:0"));
        }
    }

    [Fact]
    public void Checkpoint_keys_use_tf_keras_2_slot_and_hyperparameter_names()
    {
        using var dir = new TempDirectory();
        var (x, y) = Data();
        var model = CreateModel(Make("adadelta"));
        model.Fit(x, y, batchSize: 24, epochs: 1, verbose: 0);
        model.SaveWeights(dir.Combine("cp"));
        using (var reader = BundleReader.Open(dir.Combine("cp")))
        {
            Assert.True(reader.Contains("layer_with_weights-0/kernel/.OPTIMIZER_SLOT/optimizer/accum_grad/.ATTRIBUTES/VARIABLE_VALUE"));
            Assert.True(reader.Contains("layer_with_weights-1/bias/.OPTIMIZER_SLOT/optimizer/accum_var/.ATTRIBUTES/VARIABLE_VALUE"));
            Assert.True(reader.Contains("optimizer/rho/.ATTRIBUTES/VARIABLE_VALUE"));
        }

        var ftrl = CreateModel(Make("ftrl"));
        ftrl.Fit(x, y, batchSize: 24, epochs: 1, verbose: 0);
        ftrl.SaveWeights(dir.Combine("ftrl"));
        using (var reader = BundleReader.Open(dir.Combine("ftrl")))
        {
            Assert.True(reader.Contains("layer_with_weights-0/kernel/.OPTIMIZER_SLOT/optimizer/linear/.ATTRIBUTES/VARIABLE_VALUE"));
            Assert.True(reader.Contains("optimizer/learning_rate_power/.ATTRIBUTES/VARIABLE_VALUE"));
            Assert.True(reader.Contains("optimizer/l1_regularization_strength/.ATTRIBUTES/VARIABLE_VALUE"));
        }
    }

    [Fact]
    public void Keras_3_archive_puts_nadam_u_product_before_its_interleaved_slots_as_keras_3_6()
    {
        using var dir = new TempDirectory();
        var (x, y) = Data();
        var model = CreateModel(Make("nadam"));
        model.Fit(x, y, batchSize: 24, epochs: 1, verbose: 0);
        var path = dir.Combine("weights_dir");
        model.Save(path);
        var weightsPath = Path.Combine(path, "model.weights.h5");
        using var input = Hdf5Input.Open(weightsPath, weightsPath);
        var vars = input.Group(input.Group(input.Root, "optimizer"), "vars");
        var kernel = model.Layers[0].Weights[0];
        // iteration, learning_rate, u_product, then momentum/velocity of kernel 0, of bias 0, ... (4 weights, 2 slots).
        Assert.Empty(input.FloatDataset(vars, "2").Shape);
        Assert.Equal(kernel.Shape, input.FloatDataset(vars, "3").Shape);
        Assert.Equal(kernel.Shape, input.FloatDataset(vars, "4").Shape);
        Assert.Equal(model.Layers[0].Weights[1].Shape, input.FloatDataset(vars, "5").Shape);
        Assert.Equal(11, input.Guard("/optimizer/vars", "a group", () => vars.Children().Count()));
        double b1 = 0.85, expectedProduct = b1 * (1 - 0.5 * 0.96);
        using var value = input.ReadFloats(input.FloatDataset(vars, "2").Dataset, [], "u_product");
        Assert.Equal((float)expectedProduct, value.item<float>());
    }

    [Fact]
    public void Keras_3_10_nadam_layout_with_u_product_after_the_slots_is_read_too()
    {
        using var dir = new TempDirectory();
        var (x, y) = Data();
        var model = CreateModel(Make("nadam"));
        model.Fit(x, y, batchSize: 8, epochs: 1, verbose: 0, shuffle: false);
        var optimizer = model.Optimizer!;
        // Keras >= 3.10: iteration, learning_rate, momentum/velocity interleaved per weight, then u_product.
        var file = new PureHDF.H5File();
        var vars = Hdf5Output.GroupAt(file, "optimizer/vars");
        vars["0"] = new PureHDF.H5Dataset(optimizer.Iterations);
        vars["1"] = new PureHDF.H5Dataset((float)optimizer.LearningRate);
        int index = 2;
        foreach (var weight in model.TrainableWeights)
            foreach (var slot in new[] { "momentum", "velocity" })
                vars[(index++).ToString(System.Globalization.CultureInfo.InvariantCulture)] = Hdf5Output.Dataset(optimizer.GetSlot(weight, slot));
        vars[index.ToString(System.Globalization.CultureInfo.InvariantCulture)] = new PureHDF.H5Dataset(0.5f);
        var path = dir.Combine("opt.h5");
        Hdf5Output.WriteNewFile(file, path);

        var fresh = CreateModel(Make("nadam"));
        using (var input = Hdf5Input.Open(path, path))
        using (var staged = new Layerwise.Formats.StagedWeights())
        {
            Assert.Null(Layerwise.Formats.KerasArchive.KerasWeightsStore.ReadOptimizer(input, fresh, fresh.Optimizer!, staged));
            staged.Apply(fresh.Optimizer);
        }
        Assert.Equal(optimizer.Iterations, fresh.Optimizer!.Iterations);
        foreach (var (a, b) in model.TrainableWeights.Zip(fresh.TrainableWeights))
            foreach (var slot in optimizer.SlotNames)
                Assert.True(optimizer.GetSlot(a, slot).equal(fresh.Optimizer.GetSlot(b, slot)).all().item<bool>(), $"slot {slot} of {a.Path}");
    }
}
