using Layerwise.Formats.Checkpoint;
using Layerwise.Layers;
using Layerwise.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace Layerwise.Tests.Layers;

/// <summary>
/// ConvLSTM1D/ConvLSTM2D: outputs against convolutions written as loops in the test (TensorFlow's
/// "same" split, strides) and LSTM's gates i, f, c, o; Keras' weight layout and config; unknown time
/// steps; every file format; training.
/// </summary>
[Collection(GlobalRandomState.Name)]
public class ConvLstmTests
{
    public ConvLstmTests() => torch.set_num_threads(1);

    /// <summary>A channels-last convolution of one sample x [H, W, in] with a Keras kernel [kh, kw, in, out], as loops.</summary>
    static Tensor HandConv(Tensor x, Tensor kernel, string padding, int stride)
    {
        var xs = x.contiguous().data<float>().ToArray();
        var ks = kernel.contiguous().data<float>().ToArray();
        int h = (int)x.shape[0], w = (int)x.shape[1], cin = (int)x.shape[2];
        int kh = (int)kernel.shape[0], kw = (int)kernel.shape[1], cout = (int)kernel.shape[3];
        int oh, ow, top = 0, left = 0;
        if (padding == "same")
        {
            oh = (h + stride - 1) / stride;
            ow = (w + stride - 1) / stride;
            top = Math.Max((oh - 1) * stride + kh - h, 0) / 2;      // the odd pixel goes after (TensorFlow)
            left = Math.Max((ow - 1) * stride + kw - w, 0) / 2;
        }
        else
        {
            oh = (h - kh) / stride + 1;
            ow = (w - kw) / stride + 1;
        }
        var result = new float[oh * ow * cout];
        for (int oy = 0; oy < oh; oy++)
            for (int ox = 0; ox < ow; ox++)
                for (int co = 0; co < cout; co++)
                {
                    double sum = 0;
                    for (int ky = 0; ky < kh; ky++)
                        for (int kx = 0; kx < kw; kx++)
                        {
                            int iy = oy * stride + ky - top, ix = ox * stride + kx - left;
                            if (iy < 0 || iy >= h || ix < 0 || ix >= w) continue;
                            for (int ci = 0; ci < cin; ci++)
                                sum += xs[(iy * w + ix) * cin + ci] * ks[((ky * kw + kx) * cin + ci) * cout + co];
                        }
                    result[(oy * ow + ox) * cout + co] = (float)sum;
                }
        return tensor(result, [oh, ow, cout]);
    }

    /// <summary>ConvLSTM's outputs for one sample [T, H, W, in] from zero states: LSTM gates on convolutions.</summary>
    static Tensor HandConvLstm(Tensor x, Tensor kernel, Tensor recurrentKernel, Tensor bias, string padding, int stride)
    {
        long filters = bias.shape[0] / 4;
        Tensor? h = null, c = null;
        var outputs = new List<Tensor>();
        for (long t = 0; t < x.shape[0]; t++)
        {
            var zx = HandConv(x[t], kernel, padding, stride) + bias;
            h ??= zeros([zx.shape[0], zx.shape[1], filters]);
            c ??= zeros([zx.shape[0], zx.shape[1], filters]);
            var z = zx + HandConv(h, recurrentKernel, "same", 1);
            var i = sigmoid(z.narrow(2, 0, filters));
            var f = sigmoid(z.narrow(2, filters, filters));
            var g = tanh(z.narrow(2, 2 * filters, filters));
            var o = sigmoid(z.narrow(2, 3 * filters, filters));
            c = f * c + i * g;
            h = o * tanh(c);
            outputs.Add(h);
        }
        return stack(outputs, 0);
    }

    static void RandomizeBias(ConvLSTMCell cell)
    {
        using var _ = no_grad();
        cell.Bias!.Assign(randn(cell.Bias.Shape) * 0.5);
    }

    [Theory]
    [InlineData("valid", 1)]
    [InlineData("same", 1)]
    [InlineData("same", 2)]
    public void ConvLSTM2D_matches_hand_written_convolutions_and_gates(string padding, int stride)
    {
        Backend.SetRandomSeed(31);
        var layer = new ConvLSTM2D(2, [2, 3], strides: [stride, stride], padding: padding, returnSequences: true);
        using var x = randn([2, 3, 5, 4, 2]);
        layer.EnsureBuilt([3, 5, 4, 2]);
        RandomizeBias(layer.CellLayer);
        using var y = layer.Invoke(x);
        var cell = layer.CellLayer;
        Assert.Equal([2L, .. layer.ComputeOutputShape([3, 5, 4, 2])], y.shape);
        for (int s = 0; s < 2; s++)
        {
            using var expected = HandConvLstm(x[s], cell.Kernel.ToCpu(), cell.RecurrentKernel.ToCpu(), cell.Bias!.ToCpu(), padding, stride);
            Assert.True(expected.allclose(y[s], atol: 1e-5), $"sample {s}");
        }
    }

    [Fact]
    public void ConvLSTM1D_matches_the_hand_computation_on_width_one()
    {
        Backend.SetRandomSeed(32);
        var layer = new ConvLSTM1D(3, [2], padding: "same");
        using var x = randn(1, 4, 5, 2);
        layer.EnsureBuilt([4, 5, 2]);
        RandomizeBias(layer.CellLayer);
        using var y = layer.Invoke(x);
        Assert.Equal([1L, 5, 3], y.shape);
        var cell = layer.CellLayer;
        // A length axis is a height axis of width one: kernel [k, in, out] -> [k, 1, in, out].
        using var expected = HandConvLstm(x[0].unsqueeze(2), cell.Kernel.ToCpu().unsqueeze(1), cell.RecurrentKernel.ToCpu().unsqueeze(1),
                                          cell.Bias!.ToCpu(), "same", 1);
        Assert.True(expected[3].squeeze(1).allclose(y[0], atol: 1e-5));
    }

    [Fact]
    public void Weights_have_Keras_layout_and_unit_forget_bias_and_config_has_Keras_keys()
    {
        var layer = new ConvLSTM2D(4, [3, 3], padding: "same");
        layer.EnsureBuilt([5, 8, 8, 3]);
        // Keras' to_snake_case splits before "M2": its ConvLSTM2D layers are conv_lst_m2d, conv_lst_m2d_1, ...
        Assert.StartsWith("conv_lst_m2d", layer.Name);
        Assert.Equal([("kernel", new long[] { 3, 3, 3, 16 }), ("recurrent_kernel", [3, 3, 4, 16]), ("bias", [16])],
                     layer.Weights.Select(w => (w.Name, w.Shape)));
        Assert.All(layer.Weights, w => Assert.Same(layer.CellLayer, w.Owner));
        Assert.Equal([0f, 0f, 0f, 0f, 1f, 1f, 1f, 1f], layer.CellLayer.Bias!.ToCpu().data<float>().ToArray().Take(8));
        var config = layer.GetConfig();
        foreach (var key in new[] { "filters", "kernel_size", "strides", "padding", "data_format", "dilation_rate", "recurrent_activation", "unit_forget_bias", "return_sequences" })
            Assert.True(config.ContainsKey(key), key);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void ConvLSTM2D_channels_first_matches_the_hand_computation_on_the_transposed_input(bool returnSequences)
    {
        // Keras' channels_first: inputs [batch, time, channels, rows, cols], outputs [batch, (time,) filters, rows', cols'];
        // the kernel keeps its [kh, kw, in, 4·filters] layout.
        Backend.SetRandomSeed(35);
        var layer = new ConvLSTM2D(2, [2, 3], padding: "same", dataFormat: "channels_first", returnSequences: returnSequences);
        using var x = randn([2, 3, 4, 5, 6]);   // 4 channels of 5x6
        layer.EnsureBuilt([3, 4, 5, 6]);
        Assert.Equal([("kernel", new long[] { 2, 3, 4, 8 }), ("recurrent_kernel", [2, 3, 2, 8]), ("bias", [8])], layer.Weights.Select(w => (w.Name, w.Shape)));
        RandomizeBias(layer.CellLayer);
        using var y = layer.Invoke(x);
        long[] step = [2, 5, 6];
        Assert.Equal(returnSequences ? [2L, 3, .. step] : [2L, .. step], y.shape);
        Assert.Equal(y.shape.Skip(1), layer.ComputeOutputShape([3, 4, 5, 6]));
        var cell = layer.CellLayer;
        for (int s = 0; s < 2; s++)
        {
            // By hand in channels_last ([T, H, W, C]), then the filters moved in front of the rows.
            using var lastFirst = HandConvLstm(x[s].permute(0, 2, 3, 1), cell.Kernel.ToCpu(), cell.RecurrentKernel.ToCpu(), cell.Bias!.ToCpu(), "same", 1);
            using var expected = returnSequences ? lastFirst.permute(0, 3, 1, 2) : lastFirst[-1].permute(2, 0, 1);
            Assert.True(expected.allclose(y[s], atol: 1e-5), $"sample {s}");
        }
        Assert.Equal("channels_first", layer.GetConfig()["data_format"]!.GetValue<string>());
    }

    [Fact]
    public void Bidirectional_ConvLSTM2D_concatenates_both_directions_on_the_last_axis()
    {
        // tf.keras' Bidirectional(ConvLSTM2D(...)): as for any RNN it concatenates on the last axis (the filters here).
        Backend.SetRandomSeed(37);
        var layer = new Bidirectional(new ConvLSTM2D(2, [2, 2], padding: "same"));
        using var x = randn([1, 3, 4, 4, 2]);
        layer.EnsureBuilt([3, 4, 4, 2]);
        var forward = ((ConvLSTM2D)layer.ForwardLayer).CellLayer;
        var backward = ((ConvLSTM2D)layer.BackwardLayer).CellLayer;
        RandomizeBias(forward);
        RandomizeBias(backward);
        using var y = layer.Invoke(x);
        Assert.Equal([1L, 4, 4, 4], y.shape);
        Assert.Equal([4L, 4, 4], layer.ComputeOutputShape([3, 4, 4, 2]));
        using var ahead = HandConvLstm(x[0], forward.Kernel.ToCpu(), forward.RecurrentKernel.ToCpu(), forward.Bias!.ToCpu(), "same", 1);
        using var behind = HandConvLstm(x[0].flip(0), backward.Kernel.ToCpu(), backward.RecurrentKernel.ToCpu(), backward.Bias!.ToCpu(), "same", 1);
        Assert.True(ahead[-1].allclose(y[0].narrow(2, 0, 2), atol: 1e-5), "forward half");
        Assert.True(behind[-1].allclose(y[0].narrow(2, 2, 2), atol: 1e-5), "backward half");
        Assert.Throws<IncompatibleShapeException>(() => layer.Invoke(randn([1, 3, 4, 5, 2])));
    }

    [Fact]
    public void ConvLSTM2D_channels_first_round_trips_and_refuses_a_wrong_channel_count()
    {
        Backend.SetRandomSeed(36);
        var model = new Sequential(new ConvLSTM2D(3, [3, 3], dataFormat: "channels_first", inputShape: [4, 2, 6, 6]), new Flatten(), new Dense(2));
        using var x = randn([3, 4, 2, 6, 6]);
        using var dir = new TempDirectory();
        var path = Path.Combine(dir.Path, "m.keras");
        model.Save(path);
        PredictionAssert.Same(model, Model.Load(path), x, "m.keras");
        Assert.Throws<IncompatibleShapeException>(() => model.Predict(randn([1, 4, 3, 6, 6])));
    }

    [Fact]
    public void Masked_steps_are_skipped_as_in_the_unpadded_sequence()
    {
        Backend.SetRandomSeed(33);
        var layer = new ConvLSTM2D(2, [2, 2], padding: "same");
        using var x = randn([2, 4, 3, 3, 1]);
        using var mask = tensor(new[] { true, true, true, false, false, true, true, true }, [2, 4]);
        var (y, outputMask) = layer.InvokeWithMask(x, mask);
        Assert.Null(outputMask);
        using var first = layer.Invoke(x[0, ..3].unsqueeze(0));     // the same layer on each sample's unpadded steps
        using var second = layer.Invoke(x[1, 1..].unsqueeze(0));
        Assert.True(first[0].allclose(y[0], atol: 1e-5), "padded at the end");
        Assert.True(second[0].allclose(y[1], atol: 1e-5), "padded at the start");
    }

    [Fact]
    public void Unknown_time_steps_pass_through_and_any_length_runs()
    {
        var layer = new ConvLSTM2D(2, [3, 3], returnSequences: true);
        Assert.Equal([-1L, 3, 2, 2], layer.ComputeOutputShape([-1, 5, 4, 1]));
        layer.EnsureBuilt([-1, 5, 4, 1]);
        foreach (var steps in new long[] { 1, 4 })
        {
            using var y = layer.Invoke(randn([2, steps, 5, 4, 1]));
            Assert.Equal([2L, steps, 3, 2, 2], y.shape);
        }
        Assert.Throws<IncompatibleShapeException>(() => layer.Invoke(randn([2, 3, 5, 4, 2])));
    }

    public static TheoryData<string> EveryPath => EveryFormat.Paths;

    [Theory]
    [MemberData(nameof(EveryPath))]
    public void Channels_first_and_bidirectional_ConvLSTM2D_round_trip_through_every_format(string fileName)
    {
        static Sequential Compiled(int seed, Layer layer)
        {
            Backend.SetRandomSeed(seed);
            var model = new Sequential(layer, new Flatten(), new Dense(1));
            model.Compile(optimizer: "sgd", loss: "mse");
            return model;
        }
        EveryFormat.RoundTrip(seed => Compiled(seed, new ConvLSTM2D(2, [2, 2], dataFormat: "channels_first", inputShape: [3, 2, 4, 4])), fileName);
        EveryFormat.RoundTrip(seed => Compiled(seed, new Bidirectional(new ConvLSTM2D(2, [2, 2], padding: "same"), inputShape: [3, 4, 4, 1])), fileName);
    }

    public static TheoryData<string> Paths => new() { "model.h5", "model.keras", "model_dir", "cp" };

    [Theory]
    [MemberData(nameof(Paths))]
    public void Trained_model_round_trips_in_every_format(string fileName)
    {
        using var dir = new TempDirectory();
        var model = NewModel(seed: 9);
        var before = TutorialModel.WeightValues(model);
        var generator = new Generator(5);
        using var x = randn([4, 3, 4, 4, 1], generator: generator);
        using var y = randn([4, 1], generator: generator);
        model.Fit(x, y, batchSize: 2, epochs: 1, verbose: 0);
        WeightAssert.EveryWeightChanged(model, before);
        var path = dir.Combine(fileName);
        Model loaded;
        if (fileName == "cp")
        {
            model.SaveWeights(path);
            using (var reader = BundleReader.Open(path))
                Assert.Contains("layer_with_weights-0/cell/recurrent_kernel/.ATTRIBUTES/VARIABLE_VALUE", reader.Entries.Keys);
            loaded = NewModel(seed: 10);
            loaded.LoadWeights(path);
        }
        else
        {
            model.Save(path);
            loaded = Model.Load(path);
            Assert.Equal(["ConvLSTM2D", "TimeDistributed", "ConvLSTM1D", "Flatten", "Dense"], loaded.Layers.Select(l => l.ClassName));
        }
        // Weights bit for bit; predictions within float rounding: oneDNN's convolutions were seen to differ in the
        // last bit between two identical models in a long test run (memory alignment), never in a short one.
        Assert.Equal(TutorialModel.WeightValues(model), TutorialModel.WeightValues(loaded));
        using var expected = model.Predict(x);
        using var actual = loaded.Predict(x);
        Assert.True(expected.allclose(actual, rtol: 0, atol: 1e-6), "predictions differ after the round trip");
    }

    static Sequential NewModel(int seed)
    {
        Backend.SetRandomSeed(seed);
        var model = new Sequential(
            new ConvLSTM2D(2, [3, 3], padding: "same", returnSequences: true, inputShape: [3, 4, 4, 1]),
            new TimeDistributed(new Reshape([16, 2])),
            new ConvLSTM1D(2, [3], strides: [2], recurrentDropout: 0.2),
            new Flatten(),
            new Dense(1));
        model.Compile(optimizer: "adam", loss: "mse");
        return model;
    }
}
