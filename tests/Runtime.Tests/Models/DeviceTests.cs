using TorchSharp;
using Layerwise.Tests.Support;

namespace Layerwise.Tests.Models;

public class DeviceTests
{
    [Fact]
    public void Model_weights_optimizer_state_and_outputs_live_on_the_model_device()
    {
        var (x, y) = Tutorial.Train(32);
        var model = Tutorial.CreateModel();
        model.To(torch.CPU);
        model.Fit(x, y, epochs: 1, verbose: 0);

        Assert.All(model.Weights, w => Assert.Equal(DeviceType.CPU, w.Value.device_type));
        Assert.All(model.Optimizer!.SlotVariables, v => Assert.Equal(DeviceType.CPU, model.Optimizer.GetSlot(v, "m").device_type));
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
        var (x, y) = Tutorial.Train(64);
        var model = Tutorial.CreateModel();
        model.Fit(x, y, epochs: 1, verbose: 0);
        using var before = model.Predict(x);
        var target = torch.cuda.is_available() ? torch.CUDA : torch.CPU;

        model.To(target);
        using var after = model.Predict(x);

        Assert.True(before.allclose(after, rtol: 1e-4, atol: 1e-5));
    }
}
