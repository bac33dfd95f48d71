using Layerwise.Layers;
using Layerwise.Models;
using static TorchSharp.torch;

namespace Layerwise.Tests.Export;

public class OnnxExportDenseTests
{
    [Fact]
    public void Dense_stack_runs_in_onnx_runtime_as_predict()
    {
        Backend.SetRandomSeed(3);
        var model = new Sequential(new Dense(5, activation: "relu", inputShape: [4]), new Dense(3, activation: "softmax"));
        OnnxRunner.AssertMatchesPredict(model, randn(6, 4));
    }
}
