using Layerwise.Layers;
using Layerwise.Models;
using Layerwise.Training.Losses;
using Layerwise.Training.Optimizers;
using static TorchSharp.torch;

namespace Layerwise.Tests.Training;

/// <summary>
/// A 2-feature, 3-class linear classifier (logits) with fixed parameters and six fixed samples, so runs can be
/// compared bit for bit and the loss written out by hand with torch ops in double precision.
/// </summary>
internal static class SampleWeightFixture
{
    public static readonly float[] Kernel = [0.5f, -0.3f, 0.2f, 0.1f, 0.4f, -0.6f];   // [2, 3]
    public static readonly float[] Bias = [0.05f, -0.1f, 0.0f];

    public static Tensor X() => tensor(new float[] { 1, 2, -1, 0.5f, 0.3f, -2, 2, 1, -0.5f, -1, 1.5f, 0.2f }, [6, 2]);

    public static Tensor Labels() => tensor(new long[] { 0, 2, 1, 0, 1, 2 }, [6]);

    public static Sequential Model(Loss? loss = null, double learningRate = 0.1)
    {
        var dense = new Dense(3, inputShape: [2]);
        var model = new Sequential(dense);
        model.Compile(new SGD(learningRate), loss ?? new SparseCategoricalCrossentropy(fromLogits: true), ["accuracy"]);
        model.EnsureBuilt([2]);
        dense.Kernel.Assign(tensor(Kernel, [2, 3]));
        dense.Bias!.Assign(tensor(Bias, [3]));
        return model;
    }

    /// <summary>Per-sample cross-entropy of the fixed model from its parameters (double), written out: −log softmax(xK + b)[label].</summary>
    public static Tensor PerSampleLoss(Tensor kernel, Tensor bias, Tensor x, Tensor labels)
    {
        var logits = x.to_type(ScalarType.Float64).matmul(kernel).add(bias);
        var logSoftmax = logits.sub(logits.exp().sum(1, keepdim: true).log());
        return logSoftmax.gather(1, labels.unsqueeze(1)).squeeze(1).neg();
    }

    public static float[] Parameters(Model model) => [.. model.Weights.SelectMany(w => w.ToCpu().data<float>().ToArray())];
}
