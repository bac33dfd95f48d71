using Layerwise.Formats.Checkpoint;
using Layerwise.Layers;
using Layerwise.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace Layerwise.Tests.Layers;

/// <summary>
/// Masks: made by Embedding(mask_zero) and Masking, carried through Dense, Dropout, TimeDistributed and
/// Bidirectional in Sequential and functional models, used by recurrent layers and GlobalAveragePooling1D.
/// Each padded batch is checked against the same computation on every sample's unpadded sequence
/// (LSTM gate math written in the test, or the layer run without padding): padding then changes nothing.
/// </summary>
[Collection(GlobalRandomState.Name)]
public class MaskingTests
{
    public MaskingTests() => torch.set_num_threads(1);

    // Row 0 unpadded, row 1 padded at the end, row 2 at the start (Keras' pad_sequences default).
    static readonly long[][] Sequences = [[3, 1, 4, 1, 5, 9], [2, 6, 5, 3], [7, 8, 2]];
    static readonly long[][] Padded = [[3, 1, 4, 1, 5, 9], [2, 6, 5, 3, 0, 0], [0, 0, 0, 7, 8, 2]];

    static Tensor Tokens() => tensor(Padded.SelectMany(r => r).Select(v => (float)v).ToArray(), [3, 6]);

    /// <summary>The embedding rows of one unpadded sequence, [length, output_dim].</summary>
    static Tensor Embedded(Embedding embedding, long[] sequence) => embedding.Embeddings.ToCpu().index_select(0, tensor(sequence));

    static void AssertClose(Tensor expected, Tensor actual, string what) =>
        Assert.True(expected.allclose(actual, atol: 1e-5),
                    $"{what}: expected [{string.Join(", ", expected.contiguous().data<float>().ToArray())}], got [{string.Join(", ", actual.contiguous().data<float>().ToArray())}]");

    [Fact]
    public void LSTM_after_Embedding_mask_zero_gives_each_sample_its_unpadded_result()
    {
        Backend.SetRandomSeed(1);
        var embedding = new Embedding(10, 2, maskZero: true, inputShape: [6]);
        var lstm = new LSTM(3);
        var model = new Sequential(embedding, lstm);
        using var y = model.Predict(Tokens());
        for (int s = 0; s < 3; s++)
            AssertClose(HandLstm.Last(lstm.CellLayer, Embedded(embedding, Sequences[s])), y[s], $"sample {s}");
    }

    [Fact]
    public void Functional_models_carry_the_mask_through_Dense_Dropout_and_TimeDistributed()
    {
        Backend.SetRandomSeed(2);
        var inputs = Keras.Input(shape: [6]);
        var embedding = new Embedding(10, 2, maskZero: true);
        var dense = new Dense(3, activation: "tanh");
        var perStep = new Dense(2);
        var lstm = new LSTM(3);
        var x = new Dropout(0.5).Call(dense.Call(embedding.Call(inputs)));
        var outputs = lstm.Call(new TimeDistributed(perStep).Call(x));
        var model = new Functional(inputs, outputs);
        using var y = model.Predict(Tokens());
        for (int s = 0; s < 3; s++)
        {
            using var steps = Embedded(embedding, Sequences[s]).matmul(dense.Kernel.ToCpu()).add(dense.Bias!.ToCpu()).tanh()
                .matmul(perStep.Kernel.ToCpu()).add(perStep.Bias!.ToCpu());
            AssertClose(HandLstm.Last(lstm.CellLayer, steps), y[s], $"sample {s}");
        }
    }

    [Fact]
    public void Masked_steps_of_returned_sequences_repeat_the_previous_output()
    {
        Backend.SetRandomSeed(3);
        var masking = new Masking(maskValue: 0.0, inputShape: [6, 2]);
        var lstm = new LSTM(3, returnSequences: true);
        var model = new Sequential(masking, lstm);
        using var x = randn(3, 6, 2);
        x[1, 4..] = zeros(2, 2);       // padded at the end: steps 4, 5
        x[2, ..3] = zeros(3, 2);       // padded at the start: steps 0, 1, 2
        using var y = model.Predict(x);
        AssertClose(HandLstm.Run(lstm.CellLayer, x[0]), y[0], "unpadded");
        var post = HandLstm.Run(lstm.CellLayer, x[1, ..4]);
        AssertClose(cat([post, post[3].expand(2, 3)], 0), y[1], "padded at the end");
        var pre = HandLstm.Run(lstm.CellLayer, x[2, 3..]);
        AssertClose(cat([zeros(3, 3), pre], 0), y[2], "padded at the start");
    }

    [Fact]
    public void Bidirectional_runs_each_direction_over_the_unpadded_steps()
    {
        Backend.SetRandomSeed(4);
        var embedding = new Embedding(10, 2, maskZero: true, inputShape: [6]);
        var last = new Bidirectional(new LSTM(2));
        var sequences = new Bidirectional(new LSTM(2, returnSequences: true));
        var lastModel = new Sequential(embedding, last);
        using var y = lastModel.Predict(Tokens());
        var seqInputs = Keras.Input(shape: [6]);
        var seqModel = new Functional(seqInputs, sequences.Call(embedding.Call(seqInputs)));
        using var ys = seqModel.Predict(Tokens());
        for (int s = 0; s < 3; s++)
        {
            using var e = Embedded(embedding, Sequences[s]);
            var f = HandLstm.Last(((LSTM)last.ForwardLayer).CellLayer, e);
            var b = HandLstm.Last(((LSTM)last.BackwardLayer).CellLayer, e.flip(0));
            AssertClose(cat([f, b], 0), y[s], $"last output, sample {s}");

            var fs = HandLstm.Run(((LSTM)sequences.ForwardLayer).CellLayer, e);
            var bs = HandLstm.Run(((LSTM)sequences.BackwardLayer).CellLayer, e.flip(0)).flip(0);
            var valid = cat([fs, bs], 1);
            // Padded steps are zeros in both directions (Keras' zero_output_for_mask under Bidirectional).
            long length = Sequences[s].Length, pad = 6 - length;
            var expected = s == 2 ? cat([zeros(pad, 4), valid], 0) : cat([valid, zeros(pad, 4)], 0);
            AssertClose(expected, ys[s], $"sequences, sample {s}");
        }
    }

    [Theory]
    [InlineData("SimpleRNN")]
    [InlineData("GRU")]
    public void SimpleRNN_and_GRU_skip_masked_steps(string kind)
    {
        Backend.SetRandomSeed(5);
        var embedding = new Embedding(10, 2, maskZero: true, inputShape: [6]);
        RecurrentLayer rnn = kind == "GRU" ? new GRU(3) : new SimpleRNN(3);
        var model = new Sequential(embedding, rnn);
        using var y = model.Predict(Tokens());
        for (int s = 0; s < 3; s++)
        {
            using var e = Embedded(embedding, Sequences[s]).unsqueeze(0);
            using var unpadded = rnn.Invoke(e);     // the same layer on the sample alone, no mask
            AssertClose(unpadded[0], y[s], $"sample {s}");
        }
    }

    [Fact]
    public void GlobalAveragePooling1D_averages_the_unmasked_steps_only()
    {
        Backend.SetRandomSeed(6);
        var embedding = new Embedding(10, 4, maskZero: true, inputShape: [6]);
        var model = new Sequential(embedding, new GlobalAveragePooling1D());
        using var y = model.Predict(Tokens());
        for (int s = 0; s < 3; s++)
            AssertClose(Embedded(embedding, Sequences[s]).mean([0]), y[s], $"sample {s}");
    }

    [Fact]
    public void Masking_zeroes_and_masks_steps_whose_features_all_equal_the_mask_value()
    {
        var masking = new Masking(maskValue: -1.0);
        masking.EnsureBuilt([-1, 2]);
        using var x = tensor(new[] { 1f, -1f, -1f, -1f, 0f, 2f, -1f, -1f }, [1, 4, 2]);
        var (y, mask) = masking.InvokeWithMask(x, null);
        Assert.Equal([1f, -1f, 0f, 0f, 0f, 2f, 0f, 0f], y.data<float>().ToArray());
        Assert.Equal([true, false, true, false], mask!.data<bool>().ToArray());
        using var longer = masking.Invoke(randn(2, 9, 2));        // unknown steps: any length
        Assert.Equal([2L, 9, 2], longer.shape);
        Assert.Equal(-1.0, masking.GetConfig()["mask_value"]!.GetValue<double>());
    }

    [Fact]
    public void Layers_pass_on_drop_or_replace_the_mask_as_Keras_does()
    {
        using var x = randn(2, 3, 4);
        using var mask = tensor(new[] { true, true, false, true, false, false }, [2, 3]);
        Assert.Same(mask, new Dense(2).InvokeWithMask(x, mask).Mask);
        Assert.Same(mask, new Dropout(0.3).InvokeWithMask(x, mask).Mask);
        Assert.Same(mask, new LSTM(2, returnSequences: true).InvokeWithMask(x, mask).Mask);
        Assert.Null(new LSTM(2).InvokeWithMask(x, mask).Mask);
        Assert.Null(new Flatten().InvokeWithMask(x, mask).Mask);
        Assert.Null(new Embedding(5, 2).InvokeWithMask(tensor(new[] { 1f, 0f }, [1, 2]), null).Mask);
        Assert.Throws<IncompatibleShapeException>(() => new LSTM(2).InvokeWithMask(x, ones(2, 5, dtype: ScalarType.Bool)));
    }

    public static TheoryData<string> Paths => new() { "model.h5", "model.keras", "model_dir", "cp" };

    [Theory]
    [MemberData(nameof(Paths))]
    public void Masked_model_trains_and_round_trips_in_every_format(string fileName)
    {
        using var dir = new TempDirectory();
        var model = NewModel(seed: 9);
        var before = TutorialModel.WeightValues(model);
        using var y = randn([3, 1], generator: new Generator(8));
        model.Fit(Tokens(), y, batchSize: 3, epochs: 1, verbose: 0);
        WeightAssert.EveryWeightChanged(model, before);
        var path = dir.Combine(fileName);
        Model loaded;
        if (fileName == "cp")
        {
            model.SaveWeights(path);
            loaded = NewModel(seed: 10);
            loaded.LoadWeights(path);
        }
        else
        {
            model.Save(path);
            loaded = Model.Load(path);
            Assert.True(((Embedding)loaded.Layers[0]).MaskZero);
        }
        PredictionAssert.Same(model, loaded, Tokens());
    }

    static Sequential NewModel(int seed)
    {
        Backend.SetRandomSeed(seed);
        var model = new Sequential(new Embedding(10, 3, maskZero: true, inputShape: [6]), new Bidirectional(new GRU(2)), new Dense(1));
        model.Compile(optimizer: "adam", loss: "mse");
        return model;
    }
}
