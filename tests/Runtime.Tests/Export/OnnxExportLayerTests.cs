using Layerwise.Layers;
using Layerwise.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace Layerwise.Tests.Export;

/// <summary>
/// Each layer family exported to ONNX and run by ONNX Runtime (an implementation independent of
/// Layerwise) gives what Layerwise's Predict gives, within 1e-5, with random weights (biases and
/// statistics included) so a misplaced weight shows.
/// </summary>
[Collection(GlobalRandomState.Name)]
public class OnnxExportLayerTests
{
    public OnnxExportLayerTests() => torch.set_num_threads(1);

    static void Check(Tensor x, params Layer[] layers)
    {
        Backend.SetRandomSeed(11);
        var model = new Sequential(layers);
        model.EnsureBuilt([.. x.shape.Skip(1)]);
        OnnxRunner.RandomizeWeights(model);
        OnnxRunner.AssertMatchesPredict(model, x);
    }

    static Tensor Data(params long[] shape)
    {
        var generator = new Generator(5);
        return randn(shape, generator: generator);
    }

    [Theory]
    [InlineData("linear")]
    [InlineData("relu")]
    [InlineData("sigmoid")]
    [InlineData("hard_sigmoid")]
    [InlineData("tanh")]
    [InlineData("softmax")]
    [InlineData("elu")]
    [InlineData("selu")]
    [InlineData("softplus")]
    [InlineData("gelu")]
    [InlineData("swish")]
    [InlineData("silu")]
    public void Dense_with_each_activation(string activation) =>
        Check(Data(6, 4), new Dense(5, activation: activation), new Dense(3, useBias: false));

    [Fact]
    public void Dense_on_a_rank_3_input() => Check(Data(2, 3, 4), new Dense(5, activation: "tanh"));

    [Theory]
    [InlineData("valid", 1, 1, 1, null)]
    [InlineData("same", 1, 1, 1, null)]
    [InlineData("same", 2, 1, 1, null)]
    [InlineData("valid", 2, 1, 1, null)]
    [InlineData("same", 1, 2, 1, null)]
    [InlineData("valid", 1, 2, 2, null)]
    [InlineData("same", 2, 1, 2, "channels_first")]
    [InlineData("valid", 1, 1, 1, "channels_first")]
    public void Conv2D_padding_strides_dilation_groups_and_layout(string padding, int stride, int dilation, int groups, string? dataFormat)
    {
        var x = dataFormat == "channels_first" ? Data(2, 4, 7, 8) : Data(2, 7, 8, 4);
        Check(x, new Conv2D(6, [3, 2], strides: [stride], padding: padding, dataFormat: dataFormat, dilationRate: [dilation], groups: groups, activation: "relu"));
    }

    [Theory]
    [InlineData("valid", 1, 1, 1, null)]
    [InlineData("same", 1, 1, 1, null)]
    [InlineData("same", 2, 1, 1, null)]
    [InlineData("causal", 1, 1, 1, null)]
    [InlineData("causal", 1, 3, 1, null)]
    [InlineData("causal", 2, 1, 1, null)]
    [InlineData("same", 1, 2, 2, null)]
    [InlineData("valid", 2, 1, 2, "channels_first")]
    [InlineData("same", 1, 1, 1, "channels_first")]
    public void Conv1D_padding_strides_dilation_groups_and_layout(string padding, int stride, int dilation, int groups, string? dataFormat)
    {
        var x = dataFormat == "channels_first" ? Data(2, 4, 9) : Data(2, 9, 4);
        Check(x, new Conv1D(6, [3], strides: [stride], padding: padding, dataFormat: dataFormat, dilationRate: [dilation], groups: groups));
    }

    [Theory]
    [InlineData(true, "valid", null, null)]
    [InlineData(true, "same", null, null)]
    [InlineData(false, "valid", null, null)]
    [InlineData(false, "same", null, null)]
    [InlineData(false, "same", 1, "channels_first")]
    [InlineData(true, "same", 2, "channels_first")]
    public void Pooling2D(bool max, string padding, int? stride, string? dataFormat)
    {
        var x = dataFormat == "channels_first" ? Data(2, 3, 7, 5) : Data(2, 7, 5, 3);
        int[]? strides = stride is { } s ? [s] : null;
        Check(x, max ? new MaxPooling2D([3, 2], strides, padding, dataFormat) : new AveragePooling2D([3, 2], strides, padding, dataFormat));
    }

    [Theory]
    [InlineData(true, "valid", null, null)]
    [InlineData(true, "same", null, null)]
    [InlineData(false, "same", null, null)]
    [InlineData(false, "same", 2, "channels_first")]
    [InlineData(false, "valid", 1, null)]
    public void Pooling1D(bool max, string padding, int? stride, string? dataFormat)
    {
        var x = dataFormat == "channels_first" ? Data(2, 3, 7) : Data(2, 7, 3);
        int[]? strides = stride is { } s ? [s] : null;
        Check(x, max ? new MaxPooling1D([3], strides, padding, dataFormat) : new AveragePooling1D([3], strides, padding, dataFormat));
    }

    [Fact]
    public void Global_pooling_with_and_without_keepdims()
    {
        Check(Data(2, 5, 4, 3), new GlobalAveragePooling2D());
        Check(Data(2, 5, 4, 3), new GlobalMaxPooling2D(keepdims: true));
        Check(Data(2, 3, 5, 4), new GlobalMaxPooling2D(dataFormat: "channels_first"));
        Check(Data(2, 6, 3), new GlobalAveragePooling1D(keepdims: true));
        Check(Data(2, 3, 6), new GlobalMaxPooling1D(dataFormat: "channels_first"));
    }

    [Fact]
    public void Batch_normalization_uses_the_moving_statistics()
    {
        Check(Data(4, 5), new BatchNormalization());
        Check(Data(2, 3, 4, 5), new BatchNormalization(axis: 1, center: false));
        Check(Data(2, 3, 4), new BatchNormalization(axis: -1, scale: false, epsilon: 0.1));
    }

    [Fact]
    public void Layer_normalization_over_one_or_several_axes()
    {
        Check(Data(4, 5), new LayerNormalization());
        Check(Data(2, 3, 4, 5), new LayerNormalization(axis: [3, 1]));
        Check(Data(2, 3, 4), new LayerNormalization(axis: [-1], center: false, epsilon: 0.1));
    }

    [Fact]
    public void Activation_layers_and_dropout()
    {
        var x = Data(3, 4, 5).mul(3);
        Check(x, new ReLU());
        Check(x, new ReLU(maxValue: 2.5, negativeSlope: 0.1, threshold: 0.5));
        Check(x, new ReLU(maxValue: 6));
        Check(x, new LeakyReLU(0.2));
        Check(x, new ELU(0.7));
        Check(x, new Softmax(axis: 1));
        Check(x, new Activation("gelu"), new Dropout(0.5), new Activation("softmax"));
    }

    [Fact]
    public void Flatten_reshape_and_permute()
    {
        Check(Data(2, 3, 4, 5), new Flatten());
        Check(Data(2, 3, 4), new Reshape([-1, 2]), new Dense(3));
        Check(Data(2, 3, 4), new Permute([2, 1]), new Dense(3));
        Check(Data(2, 3, 4, 5), new Permute([3, 1, 2]), new Reshape([5, 12]));
    }

    [Fact]
    public void Embedding_takes_float_indices()
    {
        var x = tensor(new float[] { 0, 3, 9, 4, 4, 1 }, [2, 3]);
        Check(x, new Embedding(10, 4), new Flatten(), new Dense(2));
    }

    [Theory]
    [InlineData("lstm", false, false)]
    [InlineData("lstm", true, false)]
    [InlineData("lstm", true, true)]
    [InlineData("lstm", false, true)]
    [InlineData("gru", false, false)]
    [InlineData("gru", true, true)]
    [InlineData("gru_reset_before", true, false)]
    [InlineData("gru_hard_sigmoid", false, false)]
    [InlineData("rnn", true, false)]
    [InlineData("rnn", false, true)]
    [InlineData("rnn_relu", true, false)]
    public void Recurrent_layers(string kind, bool returnSequences, bool goBackwards)
    {
        Layer layer = kind switch
        {
            "lstm" => new LSTM(5, returnSequences: returnSequences, goBackwards: goBackwards),
            "gru" => new GRU(5, returnSequences: returnSequences, goBackwards: goBackwards),
            "gru_reset_before" => new GRU(5, resetAfter: false, returnSequences: returnSequences, goBackwards: goBackwards),
            "gru_hard_sigmoid" => new GRU(5, recurrentActivation: "hard_sigmoid", resetAfter: false, returnSequences: returnSequences, goBackwards: goBackwards),
            "rnn" => new SimpleRNN(5, returnSequences: returnSequences, goBackwards: goBackwards),
            "rnn_relu" => new SimpleRNN(5, activation: "relu", returnSequences: returnSequences, goBackwards: goBackwards),
            _ => throw new ArgumentException(kind),
        };
        Check(Data(3, 6, 4), layer);
    }
}
