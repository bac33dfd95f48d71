using Layerwise.Layers;
using Layerwise.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace Layerwise.Tests.Layers;

/// <summary>
/// Conv1D against values worked out by hand from Keras/TensorFlow's rules: kernel [k, in, filters],
/// "same" puts the odd padding step after, "causal" pads dilation · (k − 1) steps before only.
/// </summary>
public class Conv1DLayerTests
{
    public Conv1DLayerTests() => torch.set_num_threads(1);

    [Theory]
    // padding, kernel, stride, dilation, steps -> output steps (Keras' conv_output_length)
    [InlineData("valid", 3, 1, 1, 10, 8)]
    [InlineData("valid", 3, 3, 1, 10, 3)]
    [InlineData("valid", 2, 1, 2, 10, 8)]
    [InlineData("same", 3, 1, 1, 10, 10)]
    [InlineData("same", 2, 3, 1, 10, 4)]
    [InlineData("same", 3, 1, 2, 10, 10)]
    [InlineData("causal", 3, 1, 1, 10, 10)]
    [InlineData("causal", 2, 2, 1, 10, 5)]
    [InlineData("causal", 3, 1, 2, 10, 10)]
    [InlineData("valid", 5, 1, 1, 4, 0)]
    public void Output_shape_follows_Keras_for_each_padding(string padding, int kernel, int stride, int dilation, int steps, int expected)
    {
        var last = new Conv1D(4, [kernel], strides: [stride], padding: padding, dilationRate: [dilation]);
        var first = new Conv1D(4, [kernel], strides: [stride], padding: padding, dilationRate: [dilation], dataFormat: "channels_first");
        Assert.Equal([expected, 4L], last.ComputeOutputShape([steps, 3]));
        Assert.Equal([4L, expected], first.ComputeOutputShape([3, steps]));
        if (expected == 0) return;
        using var x = randn(2, steps, 3);
        using var y = last.Invoke(x);
        Assert.Equal([2L, expected, 4], y.shape);
        using var xFirst = x.permute(0, 2, 1).contiguous();
        first.EnsureBuilt([3, steps]);
        first.Kernel.Assign(last.Kernel.Value);
        using var yFirst = first.Invoke(xFirst);
        Assert.Equal([2L, 4, expected], yFirst.shape);
        Assert.True(yFirst.permute(0, 2, 1).allclose(y), "channels_first differs from channels_last on the same data");
    }

    [Theory]
    // x = [1, 2, 3, 4] (one channel); kernel taps [1, 10, 100][..k]; bias 0.5. Worked by hand:
    [InlineData("valid", 2, 1, 1, new float[] { 21.5f, 32.5f, 43.5f })]         // x[t] + 10 x[t+1]
    [InlineData("same", 2, 1, 1, new float[] { 21.5f, 32.5f, 43.5f, 4.5f })]    // [1 2 3 4 0]: the pad step goes after
    [InlineData("same", 3, 2, 1, new float[] { 321.5f, 43.5f })]                // [1 2 3 4 0], windows at 0 and 2
    [InlineData("causal", 2, 1, 1, new float[] { 10.5f, 21.5f, 32.5f, 43.5f })] // [0 1 2 3 4]
    [InlineData("causal", 2, 1, 2, new float[] { 10.5f, 20.5f, 31.5f, 42.5f })] // [0 0 1 2 3 4], taps 2 apart
    [InlineData("causal", 3, 2, 1, new float[] { 100.5f, 321.5f })]             // [0 0 1 2 3 4], windows at 0 and 2
    public void Values_match_a_hand_computed_example(string padding, int kernel, int stride, int dilation, float[] expected)
    {
        var conv = new Conv1D(1, [kernel], strides: [stride], padding: padding, dilationRate: [dilation], inputShape: [4, 1]);
        conv.EnsureBuilt([4, 1]);
        conv.Kernel.Assign(tensor(new float[] { 1, 10, 100 }[..kernel]).reshape(kernel, 1, 1));
        conv.Bias!.Assign(tensor(new float[] { 0.5f }));
        using var x = tensor(new float[] { 1, 2, 3, 4 }).reshape(1, 4, 1);
        using var y = conv.Invoke(x);
        Assert.Equal(expected, y.data<float>().ToArray());
    }

    [Fact]
    public void Kernel_layout_is_steps_by_input_channels_by_filters()
    {
        // Two steps of two channels, one filter: kernel[k, c, 0] = {{1, 2}, {3, 4}}.
        // Input steps (1, 2), (3, 4), (5, 6): outputs 1+4+9+16 = 30 and 3+8+15+24 = 50.
        var conv = new Conv1D(1, [2], useBias: false, inputShape: [3, 2]);
        conv.EnsureBuilt([3, 2]);
        Assert.Equal([2L, 2, 1], conv.Kernel.Shape);
        conv.Kernel.Assign(tensor(new float[] { 1, 2, 3, 4 }).reshape(2, 2, 1));
        using var x = tensor(new float[] { 1, 2, 3, 4, 5, 6 }).reshape(1, 3, 2);
        using var y = conv.Invoke(x);
        Assert.Equal(new float[] { 30, 50 }, y.data<float>().ToArray());
    }

    [Fact]
    public void Summary_shows_the_output_shape_and_parameter_count()
    {
        var model = new Sequential(
            new Conv1D(4, [3], strides: [2], padding: "same", inputShape: [9, 2], name: "conv"),
            new LeakyReLU(name: "leaky"),
            new ELU(name: "elu_layer"));
        var lines = model.SummaryText().Split('\n');
        var conv = Assert.Single(lines, l => l.Contains("conv (Conv1D)", StringComparison.Ordinal));
        Assert.Contains("(None, 5, 4)", conv);
        Assert.EndsWith(" 28", conv.TrimEnd()); // 3 · 2 · 4 + 4
        Assert.Contains("(None, 5, 4)", Assert.Single(lines, l => l.Contains("leaky (LeakyReLU)", StringComparison.Ordinal)));
    }

    [Fact]
    public void Training_step_changes_the_kernel()
    {
        Backend.SetRandomSeed(21);
        var conv = new Conv1D(3, [2], padding: "causal", dilationRate: [2], activation: "tanh", inputShape: [8, 2]);
        var model = new Sequential(conv, new LeakyReLU(), new Conv1D(2, [3], strides: [2], padding: "same"), new ELU(), new Flatten(), new Dense(1));
        model.Compile("sgd", "mse");
        using var x = randn(16, 8, 2);
        using var y = randn(16, 1);
        model.EnsureBuilt([8, 2]);
        using var before = conv.Kernel.Value.detach().clone();
        model.Fit(x, y, batchSize: 8, epochs: 1, verbose: 0);
        Assert.False(before.allclose(conv.Kernel.Value), "the first kernel did not move: no gradient reached it");
    }

    [Fact]
    public void Bad_options_say_what_was_received()
    {
        var padding = Assert.Throws<ArgumentException>(() => new Conv1D(2, [3], padding: "full"));
        Assert.Contains("\"causal\"", padding.Message);
        Assert.Contains("\"full\"", padding.Message);
        var kernel = Assert.Throws<ArgumentException>(() => new Conv1D(2, [3, 3]));
        Assert.Contains("[3, 3]", kernel.Message);
        Assert.Throws<ArgumentException>(() => new Conv1D(2, [3], strides: [2], dilationRate: [2]));
        var rank = Assert.Throws<IncompatibleShapeException>(() => new Conv1D(2, [3]).EnsureBuilt([5, 5, 1]));
        Assert.Contains("rank 3", rank.Message);
    }

    [Fact]
    public void Unsupported_padding_in_a_config_is_a_ModelFileException_naming_the_layer_and_the_option()
    {
        const string json = """
            {"class_name": "Sequential", "config": {"name": "s", "layers": [
              {"class_name": "Conv1D", "config": {"name": "conv", "filters": 2, "kernel_size": [3], "padding": "full", "batch_input_shape": [null, 8, 1]}}]}}
            """;
        var e = Assert.Throws<Layerwise.Formats.ModelFileException>(() => Model.FromJson(json));
        Assert.Contains("Conv1D \"conv\" cannot be created: padding must be \"valid\", \"same\" or \"causal\"; received \"full\"", e.Message);
    }
}
