using Layerwise.Formats.Checkpoint;
using Layerwise.Layers;
using Layerwise.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace Layerwise.Tests.Layers;

/// <summary>
/// BatchNormalization: values against hand-computed normalizations (moving statistics at inference,
/// batch statistics and Keras' momentum update in training), weights and parameter counts, the
/// moving statistics through every file format, and training.
/// </summary>
[Collection(GlobalRandomState.Name)]
public class BatchNormalizationTests
{
    public BatchNormalizationTests() => torch.set_num_threads(1);

    static Tensor Batch() => tensor(new[] { 1f, 2f, 3f, -4f }, [2, 2]);

    static BatchNormalization Built(bool trainable = true)
    {
        var layer = new BatchNormalization(trainable: trainable);
        layer.EnsureBuilt([2]);
        return layer;
    }

    [Fact]
    public void Inference_uses_the_moving_statistics()
    {
        var layer = Built();
        layer.Gamma!.Assign(tensor(new[] { 2f, 0.5f }));
        layer.Beta!.Assign(tensor(new[] { 0.1f, -0.1f }));
        layer.MovingMean.Assign(tensor(new[] { 1f, 0f }));
        layer.MovingVariance.Assign(tensor(new[] { 4f, 1f }));
        using var y = layer.Invoke(Batch());
        // gamma · (x - mean) / sqrt(variance + 0.001) + beta, by hand.
        WeightAssert.Close([0.1f, 0.5f * 2 / MathF.Sqrt(1.001f) - 0.1f, 2.09975f, -2.099001f], y.data<float>().ToArray());
        WeightAssert.Close([1f, 0f], layer.MovingMean.ToCpu().data<float>().ToArray());
    }

    [Fact]
    public void Training_normalizes_with_the_batch_and_moves_the_statistics_by_Keras_momentum()
    {
        var layer = Built();
        using var y = layer.Invoke(Batch(), training: true);
        // Batch mean [2, -1], biased variance [1, 9].
        WeightAssert.Close([-0.9995004f, 0.9999444f, 0.9995004f, -0.9999444f], y.data<float>().ToArray());
        // moving = moving · 0.99 + batch · 0.01
        WeightAssert.Close([0.02f, -0.01f], layer.MovingMean.ToCpu().data<float>().ToArray());
        WeightAssert.Close([1.0f, 1.08f], layer.MovingVariance.ToCpu().data<float>().ToArray());
    }

    [Fact]
    public void A_frozen_layer_uses_the_moving_statistics_even_in_training()
    {
        var layer = Built(trainable: false);
        using var y = layer.Invoke(Batch(), training: true);
        WeightAssert.Close([1f / MathF.Sqrt(1.001f), 2f / MathF.Sqrt(1.001f), 3f / MathF.Sqrt(1.001f), -4f / MathF.Sqrt(1.001f)], y.data<float>().ToArray());
        WeightAssert.Close([0f, 0f], layer.MovingMean.ToCpu().data<float>().ToArray());
    }

    [Fact]
    public void Axis_1_normalizes_channels_first_inputs_per_channel()
    {
        var layer = new BatchNormalization(axis: 1, center: false, scale: false);
        layer.EnsureBuilt([3, 2, 2]);
        Assert.Equal(["moving_mean", "moving_variance"], layer.Weights.Select(w => w.Name));
        layer.MovingMean.Assign(tensor(new[] { 0f, 1f, 2f }));
        using var x = ones(2, 3, 2, 2);
        using var y = layer.Invoke(x);
        Assert.Equal(x.shape, y.shape);
        for (int c = 0; c < 3; c++)
            Assert.True(y.select(1, c).sub((1f - c) / MathF.Sqrt(1.001f)).abs().max().item<float>() < 1e-6, $"channel {c}");
    }

    [Fact]
    public void Moving_statistics_are_non_trainable_weights_in_Keras_order_and_summary()
    {
        var model = new Sequential(new Dense(4, inputShape: [3]), new BatchNormalization());
        var bn = (BatchNormalization)model.Layers[1];
        Assert.Equal(["gamma", "beta", "moving_mean", "moving_variance"], bn.Weights.Select(w => w.Name));
        Assert.Equal(["moving_mean", "moving_variance"], bn.NonTrainableWeights.Select(w => w.Name));
        var summary = model.SummaryText();
        Assert.Contains("Total params: 32", summary);
        Assert.Contains("Trainable params: 24", summary);
        Assert.Contains("Non-trainable params: 8", summary);
    }

    [Fact]
    public void Tf_keras_axis_list_is_read_as_one_axis()
    {
        var model = Model.FromJson(
            """{"class_name": "Sequential", "config": {"name": "s", "layers": [{"class_name": "BatchNormalization", "config": {"axis": [3], "batch_input_shape": [null, 4, 4, 2]}}]}}""");
        Assert.Equal(3, ((BatchNormalization)model.Layers[0]).Axis);
        Assert.Equal(8, model.CountParams());
    }

    public static TheoryData<string> Paths => new() { "model.h5", "model.keras", "model_dir" };

    [Theory]
    [MemberData(nameof(Paths))]
    public void Trained_moving_statistics_round_trip_through_whole_model_files(string fileName)
    {
        using var dir = new TempDirectory();
        var (model, x) = TrainedModel();
        var path = dir.Combine(fileName);
        model.Save(path);
        var loaded = Model.Load(path);
        Assert.Equal(TutorialModel.WeightValues(model), TutorialModel.WeightValues(loaded));
        Assert.Equal(model.SummaryText(), loaded.SummaryText());
        PredictionAssert.Same(model, loaded, x);
    }

    [Fact]
    public void Trained_moving_statistics_round_trip_through_a_TF_checkpoint()
    {
        using var dir = new TempDirectory();
        var (model, _) = TrainedModel();
        var prefix = dir.Combine("cp");
        model.SaveWeights(prefix);
        using (var reader = BundleReader.Open(prefix))
        {
            Assert.Contains("layer_with_weights-1/moving_mean/.ATTRIBUTES/VARIABLE_VALUE", reader.Entries.Keys);
            Assert.Contains("layer_with_weights-1/moving_variance/.ATTRIBUTES/VARIABLE_VALUE", reader.Entries.Keys);
            // Optimizer slots exist only for the trainable weights.
            Assert.Contains("layer_with_weights-1/gamma/.OPTIMIZER_SLOT/optimizer/m/.ATTRIBUTES/VARIABLE_VALUE", reader.Entries.Keys);
            Assert.DoesNotContain("layer_with_weights-1/moving_mean/.OPTIMIZER_SLOT/optimizer/m/.ATTRIBUTES/VARIABLE_VALUE", reader.Entries.Keys);
        }
        var restored = NewModel(seed: 41);
        restored.LoadWeights(prefix);
        Assert.Equal(TutorialModel.WeightValues(model), TutorialModel.WeightValues(restored));
    }

    [Fact]
    public void Fit_changes_gamma_beta_and_the_moving_statistics_but_predict_does_not()
    {
        var model = NewModel(seed: 3);
        var bn = (BatchNormalization)model.Layers[1];
        var before = TutorialModel.WeightValues(model);
        var (x, y) = Data();
        using (var _ = model.Predict(x)) { }
        Assert.Equal(before, TutorialModel.WeightValues(model));
        model.Fit(x, y, batchSize: 8, epochs: 1, verbose: 0);
        WeightAssert.EveryWeightChanged(model, before);
        Assert.Equal(4, bn.Weights.Count);
    }

    static Sequential NewModel(int seed)
    {
        Backend.SetRandomSeed(seed);
        var model = new Sequential(
            new Conv2D(2, [3, 3], inputShape: [6, 6, 1]),
            new BatchNormalization(momentum: 0.9),
            new Flatten(),
            new Dense(1));
        model.Compile(optimizer: "adam", loss: "mse");
        return model;
    }

    static (Tensor X, Tensor Y) Data()
    {
        var generator = new Generator(23);
        return (randn([16, 6, 6, 1], generator: generator).mul(3).add(1), randn([16, 1], generator: generator));
    }

    static (Sequential Model, Tensor X) TrainedModel()
    {
        var model = NewModel(seed: 8);
        var (x, y) = Data();
        model.Fit(x, y, batchSize: 8, epochs: 2, verbose: 0);
        return (model, x);
    }

}
