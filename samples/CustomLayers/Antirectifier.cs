using Layerwise;
using Layerwise.Initializers;
using Layerwise.Layers;
using static TorchSharp.torch;

namespace CustomLayers;

/// <summary>
/// Keras' Antirectifier example: centers the input, then concatenates its positive and negative parts
/// (twice the features, no information lost as with ReLU) and projects them back to <see cref="Units"/>.
/// [Layer] + partial is all it takes: GetConfig, FromConfig, the kernel's tracking and the registration
/// as "CustomLayers&gt;Antirectifier" are generated.
/// </summary>
[Layer]
public partial class Antirectifier : Layer
{
    Variable? kernel;

    public Antirectifier(int units, Initializer? initializer = null, string? name = null, bool trainable = true)
        : base(name, trainable)
    {
        Units = units;
        Initializer = initializer ?? new HeUniform();
    }

    public int Units { get; }
    public Initializer Initializer { get; }

    protected override void Build(long[] inputShape) =>
        kernel = AddWeight("kernel", [inputShape[^1] * 2, Units], Initializer);

    public override Tensor Call(Tensor inputs, bool training = false)
    {
        using var mean = inputs.mean([-1], keepdim: true);
        using var centered = inputs - mean;
        using var positive = centered.relu();
        using var negated = centered.neg();
        using var negative = negated.relu();
        using var both = cat([positive, negative], -1);
        return both.matmul(kernel!.Value);
    }

    public override long[] ComputeOutputShape(long[] inputShape) => [.. inputShape[..^1], Units];
}
