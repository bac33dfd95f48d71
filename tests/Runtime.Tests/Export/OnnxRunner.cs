using Layerwise.Models;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using Tensor = TorchSharp.torch.Tensor;
using static TorchSharp.torch;

namespace Layerwise.Tests.Export;

/// <summary>Runs an exported file with ONNX Runtime and compares it with Layerwise's own Predict.</summary>
internal static class OnnxRunner
{
    /// <summary>Every output of the file at <paramref name="path"/> for float32 inputs, in the file's output order.</summary>
    public static Tensor[] Run(string path, params (string Name, Tensor Value)[] inputs)
    {
        using var session = new InferenceSession(path);
        var feeds = inputs.Select(i =>
        {
            using var cpu = i.Value.to_type(ScalarType.Float32).cpu().contiguous();
            return NamedOnnxValue.CreateFromTensor(i.Name, new DenseTensor<float>(cpu.data<float>().ToArray(), [.. cpu.shape.Select(d => (int)d)]));
        }).ToList();
        using var results = session.Run(feeds);
        return [.. results.Select(r =>
        {
            var t = r.AsTensor<float>();
            return tensor(t.ToArray(), [.. t.Dimensions.ToArray().Select(d => (long)d)]);
        })];
    }

    /// <summary>The names of the file's inputs and outputs, in order.</summary>
    public static (string[] Inputs, string[] Outputs) Names(string path)
    {
        using var session = new InferenceSession(path);
        return ([.. session.InputMetadata.Keys], [.. session.OutputMetadata.Keys]);
    }

    /// <summary>Exports <paramref name="model"/>, runs it on <paramref name="x"/> and checks it against Predict within <paramref name="tolerance"/>.</summary>
    public static void AssertMatchesPredict(Model model, Tensor x, double tolerance = 1e-5, string inputName = "input")
    {
        using var directory = new TempDirectory();
        var path = directory.Combine("model.onnx");
        model.ExportOnnx(path);
        using var expected = model.Predict(x);
        var actual = Run(path, (inputName, x));
        Assert.Single(actual);
        AssertClose(expected, actual[0], tolerance);
    }

    public static void AssertClose(Tensor expected, Tensor actual, double tolerance = 1e-5)
    {
        Assert.Equal(expected.shape, actual.shape);
        double difference = expected.numel() == 0 ? 0 : (expected.cpu() - actual.cpu()).abs().max().item<float>();
        Assert.True(difference <= tolerance, $"ONNX Runtime differs from Predict by {difference} (tolerance {tolerance}).");
    }

    /// <summary>
    /// Gives every weight random values (positive ones for variances), so that biases, normalization
    /// statistics and gate blocks all matter: a weight in the wrong place changes the output.
    /// </summary>
    public static void RandomizeWeights(Model model)
    {
        foreach (var weight in model.Weights)
        {
            using var value = weight.Name.Contains("variance") ? rand(weight.Shape).add(0.5) : randn(weight.Shape).mul(0.5);
            weight.Assign(value);
        }
    }
}
