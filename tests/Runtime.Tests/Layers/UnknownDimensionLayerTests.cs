using Layerwise.Initializers;
using Layerwise.Layers;
using Layerwise.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace Layerwise.Tests.Layers;

/// <summary>
/// Every layer family with unknown dimensions (-1, Keras' None): output shapes keep -1 where the size
/// depends on an unknown input size, and a model built once for unknown sizes predicts, on two different
/// sizes, exactly what a model built for each known size with the same weights predicts (the oracle does
/// not go through the unknown-dimension code path). Dimensions a layer's weights depend on must be known.
/// </summary>
[Collection(GlobalRandomState.Name)]
public class UnknownDimensionLayerTests
{
    public UnknownDimensionLayerTests() => TutorialModel.SingleThread();

    /// <summary>Builds <paramref name="create"/> for unknown sizes and for each known shape, copies the weights over and compares predictions.</summary>
    static void PredictsAsKnownShapeModels(Func<long[], Model> create, long[] unknownShape, params long[][] knownShapes)
    {
        var general = create(unknownShape);
        foreach (var shape in knownShapes)
        {
            var specific = create(shape);
            Assert.Equal(general.Weights.Select(w => w.Shape), specific.Weights.Select(w => w.Shape));
            foreach (var (from, to) in general.Weights.Zip(specific.Weights)) to.Assign(from.Value);
            using var x = randn([3, .. shape], generator: new Generator(5));
            using var expected = specific.Predict(x);
            using var actual = general.Predict(x);
            Assert.Equal(expected.shape, actual.shape);
            Assert.True(actual.allclose(expected, rtol: 0, atol: 1e-6), $"predictions for input {ShapeText.Format(x.shape)} differ");
        }
    }

    static long[] OutputShape(Model model) => model.ComputeOutputShape(model.BuildInputShape!);

    [Fact]
    public void Recurrent_layers_keep_an_unknown_time_axis_and_run_any_length()
    {
        Backend.SetRandomSeed(1);
        Model Create(long[] shape) => new Sequential(
            new LSTM(4, returnSequences: true, inputShape: shape),
            new GRU(3, returnSequences: true),
            new SimpleRNN(2));
        var model = (Sequential)Create([-1, 3]);

        Assert.Equal([-1, 4], model.Layers[0].ComputeOutputShape([-1, 3]));
        Assert.Equal([-1, 3], model.Layers[1].ComputeOutputShape([-1, 4]));
        Assert.Equal([2], OutputShape(model));
        PredictsAsKnownShapeModels(Create, [-1, 3], [5, 3], [9, 3]);
    }

    [Fact]
    public void Conv1D_and_pooling_give_unknown_lengths_and_run_any_length()
    {
        Backend.SetRandomSeed(2);
        Model Create(long[] shape) => new Sequential(
            new Conv1D(4, [3], activation: "relu", inputShape: shape),
            new MaxPooling1D([2]),
            new Conv1D(3, [2], strides: [2], padding: "same"),
            new AveragePooling1D([2], padding: "same"),
            new Conv1D(2, [2], padding: "causal", dataFormat: "channels_last"),
            new GlobalAveragePooling1D(),
            new Dense(2));
        var model = (Sequential)Create([-1, 2]);

        Assert.Equal([-1, 4], model.Layers[0].ComputeOutputShape([-1, 2]));
        Assert.Equal([-1, 4], model.Layers[1].ComputeOutputShape([-1, 4]));
        Assert.Equal([2], OutputShape(model));
        PredictsAsKnownShapeModels(Create, [-1, 2], [12, 2], [17, 2]);
    }

    [Fact]
    public void Channels_first_Conv1D_keeps_its_unknown_steps_last()
    {
        var conv = new Conv1D(5, [3], dataFormat: "channels_first");
        conv.EnsureBuilt([2, -1]);
        Assert.Equal([3, 2, 5], conv.Kernel.Shape);
        Assert.Equal([5, -1], conv.ComputeOutputShape([2, -1]));
        Assert.Equal([5, 8], conv.ComputeOutputShape([2, 10]));
    }

    [Fact]
    public void Fully_convolutional_Conv2D_stack_runs_any_image_size()
    {
        Backend.SetRandomSeed(3);
        Model Create(long[] shape) => new Sequential(
            new Conv2D(4, [3, 3], activation: "relu", inputShape: shape),
            new MaxPooling2D([2, 2]),
            new Conv2D(3, [3, 3], strides: [2, 2], padding: "same"),
            new AveragePooling2D([2, 2], padding: "same"),
            new GlobalMaxPooling2D(),
            new Dense(2));
        var model = (Sequential)Create([-1, -1, 3]);

        Assert.Equal([-1, -1, 4], model.Layers[0].ComputeOutputShape([-1, -1, 3]));
        Assert.Equal([-1, 10, 4], model.Layers[0].ComputeOutputShape([-1, 12, 3]));
        Assert.Equal([2], OutputShape(model));
        PredictsAsKnownShapeModels(Create, [-1, -1, 3], [16, 16, 3], [24, 20, 3]);
    }

    [Fact]
    public void Global_pooling_with_keepdims_keeps_ones_not_unknowns()
    {
        var pool = new GlobalAveragePooling2D(keepdims: true);
        Assert.Equal([1, 1, 6], pool.ComputeOutputShape([-1, -1, 6]));
        var pool1D = new GlobalMaxPooling1D(dataFormat: "channels_first");
        Assert.Equal([6], pool1D.ComputeOutputShape([6, -1]));
    }

    [Fact]
    public void Embedding_takes_sequences_of_any_length()
    {
        Backend.SetRandomSeed(4);
        var embedding = new Embedding(10, 4, inputShape: [-1]);
        var model = new Sequential(embedding, new GlobalAveragePooling1D(), new Dense(2));
        Assert.Equal([-1, 4], embedding.ComputeOutputShape([-1]));

        foreach (long length in new long[] { 6, 11 })
        {
            using var ids = randint(0, 10, [2, length], dtype: ScalarType.Int64, generator: new Generator((ulong)length));
            using var predicted = model.Predict(ids.to_type(ScalarType.Float32));
            // By hand: the mean of the looked-up rows, then the Dense layer.
            using var rows = embedding.Embeddings.Value.detach().index_select(0, ids.flatten()).reshape(2, length, 4);
            var dense = (Dense)model.Layers[2];
            using var expected = rows.mean([1]).matmul(dense.Kernel.Value.detach()).add(dense.Bias!.Value.detach());
            Assert.True(predicted.allclose(expected, rtol: 0, atol: 1e-6), $"length {length}");
        }
    }

    [Fact]
    public void A_tf_keras_Embedding_without_input_length_loads_and_takes_sequences_of_any_length()
    {
        // What tf.keras 2 writes for Embedding(10, 4) as the first layer with no input_length (Keras' own form).
        var model = Model.FromJson("""
            {"class_name": "Sequential", "config": {"name": "s", "layers": [
              {"class_name": "Embedding", "config": {"name": "e", "batch_input_shape": [null, null], "dtype": "float32",
                "input_dim": 10, "output_dim": 4, "input_length": null, "mask_zero": false}},
              {"class_name": "GlobalAveragePooling1D", "config": {"name": "p"}}]}}
            """);
        var embedding = (Embedding)model.Layers[0];
        foreach (long length in new long[] { 3, 9 })
        {
            using var ids = randint(0, 10, [2, length], dtype: ScalarType.Int64, generator: new Generator((ulong)length));
            using var predicted = model.Predict(ids.to_type(ScalarType.Float32));
            using var expected = embedding.Embeddings.Value.detach().index_select(0, ids.flatten()).reshape(2, length, 4).mean([1]);
            Assert.True(predicted.allclose(expected, rtol: 0, atol: 1e-6), $"length {length}");
        }
    }

    [Fact]
    public void Flatten_of_an_unknown_dimension_is_unknown_and_a_Dense_after_it_is_refused_naming_the_layer()
    {
        Assert.Equal([-1], new Flatten().ComputeOutputShape([-1, 4]));
        Assert.Equal([12], new Flatten().ComputeOutputShape([3, 4]));

        var e = Assert.Throws<IncompatibleShapeException>(() =>
            new Sequential(new Flatten(inputShape: [-1, 4]), new Dense(3, name: "head")));

        Assert.Equal("head", e.LayerName);
        Assert.Contains("last dimension of the inputs to a Dense layer to be defined", e.Message);
        Assert.Contains("(None, None)", e.Message);
    }

    [Fact]
    public void Reshape_with_unknown_input_keeps_its_minus_one_unknown_and_resolves_it_on_data()
    {
        Backend.SetRandomSeed(5);
        var reshape = new Reshape([-1, 2]);
        Assert.Equal([-1, 2], reshape.ComputeOutputShape([-1, 4]));
        Assert.Equal([3, 5], new Reshape([3, 5]).ComputeOutputShape([-1, 5]));
        Assert.Equal([10, 2], reshape.ComputeOutputShape([5, 4]));

        Model Create(long[] shape) => new Sequential(new Reshape([-1, 2], inputShape: shape), new Dense(3));
        PredictsAsKnownShapeModels(Create, [-1, 4], [5, 4], [7, 4]);
        var model = Create([-1, 4]);
        using var x = ones(1, 3, 4);
        Assert.Equal([1, 6, 3], model.Predict(x).shape);
    }

    [Fact]
    public void Permute_moves_the_unknown_axis()
    {
        Backend.SetRandomSeed(6);
        Assert.Equal([4, -1], new Permute([2, 1]).ComputeOutputShape([-1, 4]));
        // (steps, 6) -> (6, steps): the unknown steps become the last axis, which channels_first layers read as steps.
        Model Create(long[] shape) => new Sequential(
            new Permute([2, 1], inputShape: shape),
            new Conv1D(2, [2], dataFormat: "channels_first"),
            new GlobalMaxPooling1D(dataFormat: "channels_first"));
        PredictsAsKnownShapeModels(Create, [-1, 6], [4, 6], [9, 6]);
    }

    [Fact]
    public void Normalization_layers_need_their_normalized_axis_known_only()
    {
        Backend.SetRandomSeed(7);
        Model Create(long[] shape) => new Sequential(
            new BatchNormalization(inputShape: shape, movingMeanInitializer: new RandomUniform(-1, 1)),
            new LayerNormalization(),
            new Activation("tanh"),
            new Dropout(0.5));
        PredictsAsKnownShapeModels(Create, [-1, 5], [3, 5], [8, 5]);

        var batchNorm = new BatchNormalization(axis: 1, name: "bn_time");
        var e = Assert.Throws<IncompatibleShapeException>(() => batchNorm.EnsureBuilt([-1, 5]));
        Assert.Equal("bn_time", e.LayerName);
        Assert.Contains("BatchNormalization layer to be defined", e.Message);
        Assert.Throws<IncompatibleShapeException>(() => new LayerNormalization(axis: [1]).EnsureBuilt([-1, 5]));
    }

    [Fact]
    public void Weights_need_known_features_and_channels()
    {
        var lstm = new LSTM(3, name: "lstm_unknown");
        var e = Assert.Throws<IncompatibleShapeException>(() => lstm.EnsureBuilt([5, -1]));
        Assert.Equal("lstm_unknown", e.LayerName);
        Assert.Contains("feature dimension", e.Message);
        Assert.Contains("(None, 5, None)", e.Message);

        var conv = new Conv2D(2, [3, 3], name: "conv_unknown");
        e = Assert.Throws<IncompatibleShapeException>(() => conv.EnsureBuilt([-1, -1, -1]));
        Assert.Contains("channel dimension of the inputs to a Conv2D layer", e.Message);
        Assert.Throws<IncompatibleShapeException>(() => new Conv1D(2, [3]).EnsureBuilt([-1, -1]));
        Assert.Throws<IncompatibleShapeException>(() => new Dense(2).EnsureBuilt([4, -1]));
    }

    [Fact]
    public void A_layer_built_for_unknown_sizes_still_refuses_a_wrong_known_size()
    {
        var lstm = new LSTM(3);
        lstm.EnsureBuilt([-1, 4]);
        using var ok = lstm.Invoke(zeros(2, 7, 4));
        var e = Assert.Throws<IncompatibleShapeException>(() => lstm.Invoke(zeros(2, 7, 5)));
        Assert.Contains("(2, 7, 5)", e.Message);

        var conv = new Conv2D(2, [3, 3]);
        conv.EnsureBuilt([-1, -1, 3]);
        Assert.Throws<IncompatibleShapeException>(() => conv.Invoke(zeros(1, 8, 8, 4)));
        Assert.Throws<IncompatibleShapeException>(() => conv.Invoke(zeros(1, 8, 8)));

        var dense = new Dense(2);
        dense.EnsureBuilt([-1, 6]);
        using var any = dense.Invoke(zeros(2, 11, 6));
        Assert.Equal([2, 11, 2], any.shape);
        Assert.Throws<IncompatibleShapeException>(() => dense.Invoke(zeros(2, 11, 5)));
    }

    [Fact]
    public void An_input_shorter_than_the_window_is_a_managed_error()
    {
        var conv = new Conv1D(2, [3], name: "short_conv");
        conv.EnsureBuilt([-1, 2]);
        var e = Assert.Throws<IncompatibleShapeException>(() => conv.Invoke(zeros(1, 2, 2)));
        Assert.Equal("short_conv", e.LayerName);
        Assert.Contains("(None, 0, 2)", e.Message);

        var pool = new MaxPooling2D([2, 2]);
        pool.EnsureBuilt([-1, -1, 1]);
        Assert.Throws<IncompatibleShapeException>(() => pool.Invoke(zeros(1, 1, 5, 1)));
        using var fine = pool.Invoke(zeros(1, 2, 5, 1));
        Assert.Equal([1, 1, 2, 1], fine.shape);
    }

    /// <summary>
    /// The window check of convolutions and pooling reads each spatial axis where the data format puts it and
    /// widens the window by the dilation: channels_first axes 2.., dilated kernels, and paddings that keep any
    /// length ("same", "causal") never refuse. Sizes here are Keras' output-length arithmetic worked by hand.
    /// </summary>
    [Fact]
    public void The_window_check_follows_data_format_dilation_and_padding()
    {
        // channels_first (batch, channels, h, w): 8 channels would pass a check reading the wrong axis; h = 2 < 3 must not.
        var firstConv = new Conv2D(2, [3, 3], dataFormat: "channels_first");
        firstConv.EnsureBuilt([8, -1, -1]);
        Assert.Throws<IncompatibleShapeException>(() => firstConv.Invoke(zeros(1, 8, 2, 9)));
        Assert.Throws<IncompatibleShapeException>(() => firstConv.Invoke(zeros(1, 8, 9, 2)));
        using (var fits = firstConv.Invoke(zeros(1, 8, 3, 9))) Assert.Equal([1L, 2, 1, 7], fits.shape);

        // A 3-wide kernel dilated by 2 spans 5 cells: 4 is too short, 5 gives one output.
        var dilated = new Conv1D(2, [3], dilationRate: [2]);
        dilated.EnsureBuilt([-1, 1]);
        Assert.Throws<IncompatibleShapeException>(() => dilated.Invoke(zeros(1, 4, 1)));
        using (var fits = dilated.Invoke(zeros(1, 5, 1))) Assert.Equal([1L, 1, 2], fits.shape);

        var causal = new Conv1D(2, [5], padding: "causal");
        causal.EnsureBuilt([-1, 1]);
        using (var one = causal.Invoke(zeros(1, 1, 1))) Assert.Equal([1L, 1, 2], one.shape);
        var same = new MaxPooling2D([3, 3], padding: "same");
        same.EnsureBuilt([-1, -1, 1]);
        using (var one = same.Invoke(zeros(1, 1, 1, 1))) Assert.Equal([1L, 1, 1, 1], one.shape);

        var firstPool = new AveragePooling2D([2, 2], dataFormat: "channels_first");
        firstPool.EnsureBuilt([4, -1, -1]);
        Assert.Throws<IncompatibleShapeException>(() => firstPool.Invoke(zeros(1, 4, 6, 1)));
        using (var fits = firstPool.Invoke(zeros(1, 4, 6, 2))) Assert.Equal([1L, 4, 3, 1], fits.shape);
    }

    [Fact]
    public void Merge_layers_combine_unknown_and_known_sizes_as_Keras()
    {
        var add = new Add();
        Assert.Equal([5, 3], add.ComputeOutputShape([[-1, 3], [5, 3]]));
        Assert.Equal([-1, 3], add.ComputeOutputShape([[-1, 3], [1, 3]]));
        Assert.Equal([-1, 3], add.ComputeOutputShape([[-1, 3], [-1, 3]]));
        Assert.Throws<IncompatibleShapeException>(() => add.ComputeOutputShape([[-1, 3], [5, 4]]));

        var time = new Concatenate(axis: 1);
        Assert.Equal([-1, 3], time.ComputeOutputShape([[-1, 3], [5, 3]]));
        Assert.Equal([9, 3], time.ComputeOutputShape([[4, 3], [5, 3]]));
        var features = new Concatenate();
        Assert.Equal([5, 7], features.ComputeOutputShape([[-1, 3], [5, 4]]));
        Assert.Equal([-1, 7], features.ComputeOutputShape([[-1, 3], [-1, 4]]));
        Assert.Throws<IncompatibleShapeException>(() => features.ComputeOutputShape([[-1, 3], [-1, 4, 1]]));
    }

    [Fact]
    public void Functional_merges_of_unknown_length_branches_run_any_length()
    {
        Backend.SetRandomSeed(8);
        Model Create(long[] shape)
        {
            var inputs = Keras.Input(shape);
            var left = new Dense(3, activation: "relu").Call(inputs);
            var right = new LSTM(3, returnSequences: true).Call(inputs);
            var summed = new Add().Call(left, right);
            var joined = new Concatenate(axis: 1).Call(summed, left);      // along the unknown time axis
            var wide = new Concatenate().Call(joined, new Multiply().Call(joined, joined));
            return new Functional(inputs, new Dense(2).Call(new GlobalMaxPooling1D().Call(wide)));
        }
        var model = (Functional)Create([-1, 4]);

        Assert.Equal([-1, 3], model.Layers.OfType<Add>().Single().InboundNodes[0].Output.Shape);
        Assert.Equal([-1, 6], model.Layers.OfType<Concatenate>().Last().InboundNodes[0].Output.Shape);
        Assert.Equal([2], model.Outputs[0].Shape);
        PredictsAsKnownShapeModels(Create, [-1, 4], [5, 4], [9, 4]);
    }
}
