using TorchSharp;

namespace Layerwise.Tests.Models;

public class DeviceTests
{
    [Fact]
    public void Model_weights_optimizer_state_and_outputs_live_on_the_model_device()
    {
        var (x, y) = TutorialModel.MnistTrain(32);
        var model = TutorialModel.Create();
        model.To(torch.CPU);
        model.Fit(x, y, epochs: 1, verbose: 0);

        Assert.All(model.Weights, w => Assert.Equal(DeviceType.CPU, w.Value.device_type));
        Assert.All(model.Optimizer!.SlotVariables, v => Assert.Equal(DeviceType.CPU, model.Optimizer.GetSlot(v, "m").device_type));
    }

    [Fact]
    public void Moving_a_model_to_the_device_it_is_on_keeps_its_weight_tensors()
    {
        var model = TutorialModel.Create();   // built
        var kernel = model.Weights[0].Value;
        var handles = model.Weights.Select(w => w.Value.Handle).ToList();
        model.To(torch.CPU);
        model.To("cpu");
        Assert.Equal(handles, model.Weights.Select(w => w.Value.Handle));
        // A tensor taken from a weight before the move is still the weight, not a freed copy.
        Assert.False(kernel.IsInvalid);
        Assert.True(kernel.sum().item<float>() == model.Weights[0].Value.sum().item<float>());
    }

    [Fact]
    public void Moving_a_trained_model_to_its_device_keeps_the_optimizer_slots()
    {
        var (x, y) = TutorialModel.MnistTrain(32);
        var model = TutorialModel.Create();
        model.Fit(x, y, epochs: 1, verbose: 0);
        var optimizer = model.Optimizer!;
        var slots = optimizer.SlotVariables.Select(v => optimizer.GetSlot(v, "m").Handle).ToList();
        model.To(torch.CPU);
        Assert.Equal(slots, optimizer.SlotVariables.Select(v => optimizer.GetSlot(v, "m").Handle));
    }

    [Fact]
    public void Device_names_parse_and_cuda_without_a_gpu_is_a_clear_error()
    {
        Assert.Equal(DeviceType.CPU, Backend.ParseDevice("CPU").type);
        Assert.Throws<ArgumentException>(() => Backend.ParseDevice("tpu"));
        if (torch.cuda.is_available())
        {
            Assert.Equal(DeviceType.CUDA, Backend.ParseDevice("cuda:0").type);
        }
        else
        {
            var e = Assert.Throws<InvalidOperationException>(() => Backend.ParseDevice("cuda"));
            Assert.Contains("CUDA is not available", e.Message);
        }
    }

    [Fact]
    public void Moving_a_trained_model_keeps_its_predictions()
    {
        var (x, y) = TutorialModel.MnistTrain(64);
        var model = TutorialModel.Create();
        model.Fit(x, y, epochs: 1, verbose: 0);
        using var before = model.Predict(x);
        var target = torch.cuda.is_available() ? torch.CUDA : torch.CPU;

        model.To(target);
        using var after = model.Predict(x);

        Assert.True(before.allclose(after, rtol: 1e-4, atol: 1e-5));
    }
}
