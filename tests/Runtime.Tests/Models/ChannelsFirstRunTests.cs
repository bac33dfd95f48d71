using Layerwise.Layers;
using Layerwise.Models;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Layerwise.Tests.Models;

/// <summary>
/// A Sequential predicting runs consecutive channels_last convolutions and pooling layers in torch's layout,
/// permuting once at each end (ChannelsFirstRun). The expected values are the same network written with
/// plain TorchSharp ops, and the layers' own calls one by one, which must give the same bits.
/// </summary>
[Collection(GlobalRandomState.Name)]
public class ChannelsFirstRunTests
{
    public ChannelsFirstRunTests() => TutorialModel.SingleThread();

    static (Sequential Model, Conv2D First, Conv2D Second) NewModel(int seed)
    {
        Backend.SetRandomSeed(seed);
        var first = new Conv2D(6, [3, 3], activation: "relu", inputShape: [10, 10, 3]);
        var second = new Conv2D(4, [3, 3], activation: "tanh");
        return (new Sequential(first, new MaxPooling2D([2, 2]), second, new AveragePooling2D([2, 2]), new Flatten()), first, second);
    }

    static Tensor TorchKernel(Conv2D conv) => conv.Kernel.Value.detach().permute(3, 2, 0, 1);

    /// <summary>conv relu → max-pool 2 → conv tanh → average-pool 2 → flatten, in torch's layout, permuted back at the end.</summary>
    static Tensor ByHand(Conv2D first, Conv2D second, Tensor x)
    {
        using var _ = no_grad();
        var h = F.relu(F.conv2d(x.permute(0, 3, 1, 2), TorchKernel(first), first.Bias!.Value.detach()));
        h = F.max_pool2d(h, [2, 2]);
        h = F.tanh(F.conv2d(h, TorchKernel(second), second.Bias!.Value.detach()));
        h = F.avg_pool2d(h, [2, 2]);
        return h.permute(0, 2, 3, 1).reshape(x.shape[0], -1);
    }

    static void AssertClose(Tensor expected, Tensor actual) =>
        Assert.True(actual.allclose(expected, rtol: 1e-5, atol: 1e-6), $"differs by {(actual - expected).abs().max().item<float>()}");

    [Fact]
    public void A_convolution_and_pooling_run_predicts_what_plain_torch_computes()
    {
        var (model, first, second) = NewModel(11);
        using var x = rand(5, 10, 10, 3);
        using var predicted = model.Predict(x);
        using var expected = ByHand(first, second, x);
        Assert.Equal([5L, 4], predicted.shape);
        AssertClose(expected, predicted);
    }

    [Fact]
    public void The_run_gives_the_bits_of_the_layers_called_one_by_one()
    {
        var (model, _, _) = NewModel(12);
        using var x = rand(3, 10, 10, 3);
        using var predicted = model.Predict(x);
        using (no_grad())
        using (NewDisposeScope())
        {
            var h = x;
            foreach (var layer in model.Layers) h = layer.Invoke(h);
            Assert.True(predicted.eq(h).all().item<bool>(), $"differs by {(predicted - h).abs().max().item<float>()}");
        }
    }

    [Fact]
    public void Weights_changed_between_predictions_are_used_by_the_run()
    {
        var (model, first, second) = NewModel(13);
        using var x = rand(2, 10, 10, 3);
        using var before = model.Predict(x);
        first.Kernel.Assign(randn(3, 3, 3, 6));
        using (no_grad()) second.Bias!.Value.add_(0.5);
        using var after = model.Predict(x);
        using var expected = ByHand(first, second, x);
        AssertClose(expected, after);
        Assert.False(after.allclose(before, rtol: 1e-3, atol: 1e-4), "the weights changed but the prediction did not");
    }

    [Fact]
    public void A_later_layer_of_the_run_refuses_an_input_shorter_than_its_window()
    {
        var last = new Conv2D(2, [3, 3], name: "run_last_conv");
        var model = new Sequential(new Conv2D(2, [3, 3], inputShape: [-1, -1, 1]), new MaxPooling2D([2, 2]), last);
        // 5x5 → conv 3x3 → 3x3 → pool 2 → 1x1: too small for the last 3x3 window.
        var e = Assert.Throws<IncompatibleShapeException>(() => model.Predict(zeros(1, 5, 5, 1)));
        Assert.Equal("run_last_conv", e.LayerName);
        using var fits = model.Predict(zeros(1, 8, 8, 1));
        Assert.Equal([1L, 1, 1, 2], fits.shape);
    }

    [Fact]
    public void A_softmax_convolution_normalizes_over_its_channels()
    {
        // Softmax is not elementwise: over the channels (Keras' last axis), which a run in torch's layout would not be.
        Backend.SetRandomSeed(14);
        var conv = new Conv2D(4, [3, 3], activation: "softmax", inputShape: [7, 7, 2]);
        var model = new Sequential(conv, new MaxPooling2D([2, 2]));
        using var x = rand(2, 7, 7, 2);
        using var predicted = model.Predict(x);
        using (no_grad())
        using (NewDisposeScope())
        {
            var h = F.softmax(F.conv2d(x.permute(0, 3, 1, 2), TorchKernel(conv), conv.Bias!.Value.detach()), 1);
            AssertClose(F.max_pool2d(h, [2, 2]).permute(0, 2, 3, 1), predicted);
        }
    }

    /// <summary>A user's pooling layer that halves its output: its own Call must run, not the run's copy of the base one.</summary>
    sealed class HalvedMaxPooling() : MaxPooling2D([2, 2])
    {
        public override Tensor Call(Tensor inputs, bool training = false) => base.Call(inputs, training).mul(0.5);
    }

    [Fact]
    public void A_subclass_overriding_Call_runs_its_own_Call()
    {
        Backend.SetRandomSeed(16);
        var first = new Conv2D(6, [3, 3], activation: "relu", inputShape: [10, 10, 3]);
        var second = new Conv2D(4, [3, 3], activation: "tanh");
        var halved = new Sequential(first, new HalvedMaxPooling(), second, new AveragePooling2D([2, 2]), new Flatten());
        using var x = rand(2, 10, 10, 3);
        using var predicted = halved.Predict(x);
        using (no_grad())
        using (NewDisposeScope())
        {
            var h = F.max_pool2d(F.relu(F.conv2d(x.permute(0, 3, 1, 2), TorchKernel(first), first.Bias!.Value.detach())), [2, 2]).mul(0.5);
            h = F.avg_pool2d(F.tanh(F.conv2d(h, TorchKernel(second), second.Bias!.Value.detach())), [2, 2]);
            AssertClose(h.permute(0, 2, 3, 1).reshape(2, -1), predicted);
        }
    }

    [Fact]
    public void Recorded_gradients_are_those_of_plain_torch()
    {
        var (model, first, second) = NewModel(15);
        using var x = rand(2, 10, 10, 3);
        model.Call(x).square().sum().backward();
        var gradient = first.Kernel.Value.grad!.clone();

        using var kernel = first.Kernel.Value.detach().clone().requires_grad_(true);
        var h = F.relu(F.conv2d(x.permute(0, 3, 1, 2), kernel.permute(3, 2, 0, 1), first.Bias!.Value.detach()));
        h = F.tanh(F.conv2d(F.max_pool2d(h, [2, 2]), TorchKernel(second), second.Bias!.Value.detach()));
        F.avg_pool2d(h, [2, 2]).square().sum().backward();
        AssertClose(kernel.grad!, gradient);
    }
}
