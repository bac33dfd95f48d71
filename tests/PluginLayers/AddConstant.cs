using Layerwise;
using Layerwise.Layers;
using static TorchSharp.torch;

namespace PluginLayers;

/// <summary>Adds <see cref="Value"/> to its input: a layer whose only home is this library.</summary>
[Layer]
public partial class AddConstant : Layer
{
    /// <summary>Creates the layer.</summary>
    /// <param name="value">The constant added to every element.</param>
    /// <param name="name">The layer's name.</param>
    public AddConstant(double value = 1.0, string? name = null) : base(name) => Value = value;

    /// <summary>The constant added to every element.</summary>
    public double Value { get; }

    /// <inheritdoc/>
    public override Tensor Call(Tensor inputs, bool training = false) => inputs + Value;
}
