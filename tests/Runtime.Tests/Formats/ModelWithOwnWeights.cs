using Layerwise.Initializers;
using Layerwise.Layers;
using Layerwise.Models;
using static TorchSharp.torch;

namespace Layerwise.Tests.Formats;

/// <summary>A subclassed model with a weight of its own (not a layer's) beside a sub-layer.</summary>
[ModelConfig]
public partial class ScaledHead : Model
{
    readonly Dense dense;
    Variable? scale;

    public ScaledHead(int units, string? name = null) : base(name)
    {
        Units = units;
        dense = new Dense(units);
    }

    public int Units { get; }

    protected override void Build(long[] inputShape)
    {
        scale = AddWeight("scale", [Units], new RandomNormal());
        base.Build(inputShape);
    }

    public override Tensor Call(Tensor inputs, bool training = false)
    {
        using var h = dense.Invoke(inputs, training);
        return h * scale!.Value;
    }
}
