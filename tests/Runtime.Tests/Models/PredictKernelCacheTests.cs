using Layerwise.Layers;
using Layerwise.Models;
using Layerwise.Training.Losses;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Layerwise.Tests.Models;

/// <summary>
/// Predict keeps each convolution's kernel in torch's layout between calls (KernelLayoutCache). Every way a
/// weight can change must make the next prediction use the new weight: the expected outputs are the
/// convolution written with plain TorchSharp ops on the kernel as it is now. Each test predicts once
/// before the change, so a layout kept from then would give the old output.
/// </summary>
[Collection(GlobalRandomState.Name)]
public class PredictKernelCacheTests
{
    public PredictKernelCacheTests() => TutorialModel.SingleThread();

    static (Sequential Model, Conv2D Conv) NewModel(int seed)
    {
        Backend.SetRandomSeed(seed);
        var conv = new Conv2D(4, [3, 3], inputShape: [6, 6, 2]);
        return (new Sequential(conv, new Flatten()), conv);
    }

    /// <summary>Keras' Conv2D (channels_last, valid padding) by hand: torch's conv2d on the kernel permuted to [out, in, kh, kw].</summary>
    static Tensor ByHand(Conv2D conv, Tensor x)
    {
        using var _ = no_grad();
        var kernel = conv.Kernel.Value.detach().permute(3, 2, 0, 1);
        return F.conv2d(x.permute(0, 3, 1, 2), kernel, conv.Bias!.Value.detach()).permute(0, 2, 3, 1).reshape(x.shape[0], -1);
    }

    static void AssertUsesCurrentKernel(Sequential model, Conv2D conv, Tensor x, Tensor before)
    {
        using var after = model.Predict(x);
        using var expected = ByHand(conv, x);
        Assert.True(after.allclose(expected, rtol: 1e-5, atol: 1e-6),
                    $"Predict differs from the convolution with the current kernel by {(after - expected).abs().max().item<float>()}");
        Assert.False(after.allclose(before, rtol: 1e-3, atol: 1e-4), "the weights changed but the prediction did not");
    }

    [Fact]
    public void Predict_after_Assign_uses_the_assigned_kernel()
    {
        var (model, conv) = NewModel(1);
        var x = rand(3, 6, 6, 2);
        using var before = model.Predict(x);
        conv.Kernel.Assign(randn(3, 3, 2, 4));
        AssertUsesCurrentKernel(model, conv, x, before);
    }

    [Fact]
    public void Predict_after_an_in_place_op_on_the_kernel_uses_the_changed_kernel()
    {
        var (model, conv) = NewModel(2);
        var x = rand(3, 6, 6, 2);
        using var before = model.Predict(x);
        using (no_grad()) conv.Kernel.Value.mul_(-2).add_(0.5);
        AssertUsesCurrentKernel(model, conv, x, before);
    }

    [Fact]
    public void Predict_after_Fit_uses_the_trained_kernel()
    {
        var (model, conv) = NewModel(3);
        model.Compile("sgd", new MeanSquaredError());
        var x = rand(8, 6, 6, 2);
        var y = randn(8, 64);
        using var before = model.Predict(x);
        model.Fit(x, y, batchSize: 4, epochs: 2, verbose: 0);
        AssertUsesCurrentKernel(model, conv, x, before);
    }

    [Theory]
    [InlineData("model.weights.h5")]
    [InlineData("model.h5")]
    [InlineData("checkpoint/model")]
    public void Predict_after_LoadWeights_uses_the_loaded_kernel(string file)
    {
        using var dir = new TempDirectory();
        var path = dir.Combine(file);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var (source, _) = NewModel(4);
        source.SaveWeights(path);
        var (model, conv) = NewModel(5);
        var x = rand(3, 6, 6, 2);
        using var before = model.Predict(x);
        model.LoadWeights(path);
        AssertUsesCurrentKernel(model, conv, x, before);
        PredictionAssert.Same(source, model, x, file);
    }

    [Fact]
    public void Predict_after_moving_the_model_and_changing_the_kernel_uses_the_new_kernel()
    {
        var (model, conv) = NewModel(7);
        var x = rand(3, 6, 6, 2);
        using var before = model.Predict(x);
        model.To("cpu");   // on a CUDA machine moving makes new weight tensors; on the CPU they stay as they are
        conv.Kernel.Assign(randn(3, 3, 2, 4));
        AssertUsesCurrentKernel(model, conv, x, before);
    }

    [Fact]
    public void A_disposed_model_refuses_to_predict_after_its_kernel_layout_was_kept()
    {
        var (model, _) = NewModel(8);
        var x = rand(3, 6, 6, 2);
        using (model.Predict(x)) { }
        model.Dispose();
        Assert.Throws<ObjectDisposedException>(() => model.Predict(x));
    }

    [Fact]
    public void The_layout_is_kept_while_the_weight_is_unchanged_and_replaced_after_each_write()
    {
        var weight = new TorchSharp.Modules.Parameter(rand(3, 3, 2, 4));
        var cache = new KernelLayoutCache(k => k.permute(3, 2, 0, 1));
        using (no_grad())
        {
            var first = cache.For(weight);
            Assert.Same(first, cache.For(weight));
            Assert.True(first.is_contiguous());
            Assert.True(first.equal(weight.detach().permute(3, 2, 0, 1)).all().item<bool>());

            weight.add_(1);   // through torch: counted by libtorch's version counter
            var second = cache.For(weight);
            Assert.NotSame(first, second);
            Assert.True(second.equal(weight.detach().permute(3, 2, 0, 1)).all().item<bool>());

            // Written past torch (a file reader filling the weight's memory), then counted as the readers do.
            var values = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(weight.bytes);
            values.Fill(7f);
            TensorVersion.MarkWritten(weight);
            var third = cache.For(weight);
            Assert.NotSame(second, third);
            Assert.True(third.eq(7f).all().item<bool>());
        }
        cache.Clear();
    }

    [Fact]
    public void While_gradients_are_recorded_the_layout_comes_from_the_weight_itself()
    {
        var weight = new TorchSharp.Modules.Parameter(rand(3, 3, 2, 4));
        var cache = new KernelLayoutCache(k => k.permute(3, 2, 0, 1));
        var laidOut = cache.For(weight);
        Assert.True(laidOut.requires_grad);
        laidOut.sum().backward();
        Assert.True(weight.grad is not null && weight.grad.eq(1f).all().item<bool>());
    }

    [Fact]
    public void An_inference_tensor_has_no_version_and_is_not_cached()
    {
        Tensor weight;
        using (inference_mode()) weight = rand(3, 3, 2, 4);
        Assert.Null(TensorVersion.Current(weight));
        TensorVersion.MarkWritten(weight);   // must not throw in native code
        var cache = new KernelLayoutCache(k => k.permute(3, 2, 0, 1));
        using (no_grad()) Assert.NotSame(cache.For(weight), cache.For(weight));
    }

    [Fact]
    public void A_model_built_and_run_under_inference_mode_predicts_and_follows_weight_changes()
    {
        using (inference_mode())
        {
            var (model, conv) = NewModel(6);
            var x = rand(3, 6, 6, 2);
            using var before = model.Predict(x);
            conv.Kernel.Value.mul_(3);
            AssertUsesCurrentKernel(model, conv, x, before);
        }
    }

    [Fact]
    public void Predict_in_one_batch_returns_a_tensor_of_its_own_also_when_the_model_returns_a_view_of_the_input()
    {
        var model = new Sequential(new Flatten(inputShape: [2, 3]));
        var x = rand(4, 2, 3);
        var result = model.Predict(x);
        Assert.NotSame(x, result);
        result.Dispose();
        Assert.True(x.reshape(4, 6).sum().item<float>() > 0);   // the input is still there
    }
}
