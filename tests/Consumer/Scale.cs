using Layerwise;
using Layerwise.Initializers;
using Layerwise.Layers;
using static TorchSharp.torch;

namespace Consumer;

/// <summary>
/// A custom layer as a user writes one: a learned per-feature scale. [Layer] on a partial class is
/// all it takes; the package's generator writes GetConfig, FromConfig, tracking and registration.
/// </summary>
[Layer]
public partial class Scale : Layer
{
    Variable? gamma;

    /// <summary>Creates the layer; <paramref name="initialValue"/> fills the scale.</summary>
    public Scale(double initialValue = 1.0, string? name = null, bool trainable = true) : base(name, trainable) =>
        InitialValue = initialValue;

    /// <summary>What every scale starts at (config key <c>initial_value</c>).</summary>
    public double InitialValue { get; }

    /// <inheritdoc/>
    protected override void Build(long[] inputShape) =>
        gamma = AddWeight("gamma", [inputShape[^1]], new Constant(InitialValue));

    /// <inheritdoc/>
    public override Tensor Call(Tensor inputs, bool training = false) => inputs * gamma!.Value;
}
