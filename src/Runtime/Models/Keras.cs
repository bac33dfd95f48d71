using Layerwise.Layers;

namespace Layerwise;

/// <summary>
/// Entry points named as in Python's <c>keras</c> module, for code translated from Keras:
/// <c>Keras.Input(shape: [784], name: "img")</c> is <c>keras.Input(shape=(784,), name="img")</c>.
/// </summary>
public static class Keras
{
    /// <summary>
    /// A symbolic input of a functional model (Keras' <c>keras.Input</c>): per-sample
    /// <paramref name="shape"/> (the batch dimension left out), backed by a new <see cref="InputLayer"/>
    /// named <paramref name="name"/> (by default <c>input</c>, <c>input_1</c>, ...). A size of -1
    /// (<see cref="Dimensions.Unknown"/>) is Keras' <c>None</c>: <c>Keras.Input(shape: [-1, 8])</c> takes
    /// sequences of any length, <c>[-1, -1, 3]</c> images of any size.
    /// </summary>
    public static KerasTensor Input(long[] shape, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(shape);
        if (shape.Length == 0 || Dimensions.Problem(shape) is not null)
            throw new ArgumentException($"Input shape must list at least one size per sample, each positive or -1 (unknown, Keras' None); received [{string.Join(", ", shape)}].", nameof(shape));
        return new InputLayer(shape, name).Output;
    }
}
