using System.Runtime.InteropServices;
using Layerwise.Cli;
using static TorchSharp.torch;

namespace Layerwise.Tests.Cli;

/// <summary>Runs the layerwise tool in-process and reads the fixtures' raw float32 files.</summary>
internal static class CliRunner
{
    public const string KerasH5 = "keras-h5/dig94_Mnsit__keras_mnist.h5";
    public const string KerasH5Expected = "keras-h5/dig94_Mnsit__keras_mnist.expected.mnist8_784.f32";
    public const string MnistInputs = "inputs/mnist8_784.f32";
    public const string Keras3Archive = "keras3/mnist_cnn/mnist_model.keras";
    public const string TfCheckpoint = "tf-checkpoint/training_2/cp-0000.ckpt.index";
    public const string SavedModel = "savedmodel/irises";
    public const string LambdaH5 = "keras-h5/nnom_mnist-densenet__keras_mnist_model.h5";

    public static (int Code, string Output, string Error) Run(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        int code = CliApp.Run(args, output, error);
        return (code, output.ToString(), error.ToString());
    }

    /// <summary>Runs a command that must succeed.</summary>
    public static string Ok(params string[] args)
    {
        var (code, output, error) = Run(args);
        Assert.True(code == 0, $"layerwise {string.Join(' ', args)} exited with {code}: {error}");
        return output;
    }

    /// <summary>A failure is one line on stderr, "layerwise: error: ...", without a stack trace.</summary>
    public static string AssertOneLineError(string error)
    {
        var lines = error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Single(lines);
        Assert.StartsWith("layerwise: error: ", lines[0]);
        Assert.DoesNotContain("   at ", error);
        return lines[0];
    }

    public static float[] ReadFloats(string path) => MemoryMarshal.Cast<byte, float>(File.ReadAllBytes(path)).ToArray();

    /// <summary>The fixture's 8 MNIST digits as a tensor of <paramref name="shape"/>.</summary>
    public static Tensor MnistDigits(params long[] shape) => tensor(ReadFloats(Fixtures.Get(MnistInputs)), shape);

    public static void AssertClose(float[] expected, float[] actual, double tolerance)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - actual[i]) <= tolerance, $"element {i}: expected {expected[i]}, got {actual[i]}");
    }
}
