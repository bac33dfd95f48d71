using Layerwise.Layers;
using Layerwise.Models;
using static TorchSharp.torch;

namespace Layerwise.Tests.Models.FunctionalApi;

/// <summary>
/// The two-input two-output model the multi-output tests train: inputs "a" [3] and "b" [2] are
/// concatenated into a relu Dense(4) "shared"; output "cls" (Dense(3), logits) classifies, output "reg"
/// (Dense(1) on shared and b) regresses. Also its forward pass written with plain torch ops.
/// </summary>
internal static class MultiOutputModel
{
    public const long Samples = 20;

    public static Functional Create()
    {
        var a = Keras.Input([3], name: "a");
        var b = Keras.Input([2], name: "b");
        var shared = new Dense(4, activation: "relu", name: "shared").Call(new Concatenate().Call(a, b));
        var cls = new Dense(3, name: "cls").Call(shared);
        var reg = new Dense(1, name: "reg").Call(new Concatenate().Call(shared, b));
        return new Functional([a, b], [cls, reg], name: "two_by_two");
    }

    /// <summary>Inputs a, b and targets: class labels (int64) for cls, values [n, 1] for reg.</summary>
    public static (Tensor A, Tensor B, Tensor Classes, Tensor Values) Data(int seed, long samples = Samples)
    {
        var g = new Generator((ulong)seed);
        return (randn([samples, 3], generator: g), randn([samples, 2], generator: g),
                randint(0, 3, [samples], dtype: ScalarType.Int64, generator: g), randn([samples, 1], generator: g));
    }

    /// <summary>Copies of the weights, by layer: kernel and bias of shared, cls, reg.</summary>
    public static Tensor[] Parameters(Functional model) =>
        [.. new[] { "shared", "cls", "reg" }.SelectMany(n => model.Layers.Single(l => l.Name == n).Weights).Select(w => w.ToCpu().clone())];

    /// <summary>The model's forward pass with torch ops on <paramref name="p"/> (Parameters' order).</summary>
    public static (Tensor Cls, Tensor Reg) Forward(Tensor[] p, Tensor a, Tensor b)
    {
        var shared = nn.functional.relu(cat([a, b], 1).matmul(p[0]).add(p[1]));
        return (shared.matmul(p[2]).add(p[3]), cat([shared, b], 1).matmul(p[4]).add(p[5]));
    }

    /// <summary>Sparse categorical cross-entropy from logits and mean squared error, written out.</summary>
    public static (Tensor Cls, Tensor Reg) Losses(Tensor cls, Tensor reg, Tensor classes, Tensor values) =>
        (nn.functional.nll_loss(nn.functional.log_softmax(cls, -1), classes, reduction: nn.Reduction.None).mean(),
         reg.sub(values).square().mean([-1L]).mean());
}
