using static TorchSharp.torch;

namespace Layerwise.Layers;

/// <summary>Keras' <c>Subtract</c>: its first input minus its second; exactly two inputs, as Keras requires (shapes as for <see cref="ElementwiseMerge"/>).</summary>
[Layer(Module = "keras.layers")]
public partial class Subtract : ElementwiseMerge
{
    /// <summary>Creates the layer with Keras' arguments and defaults (<c>keras.layers.Subtract</c>).</summary>
    /// <param name="name">Layer name (Keras' <c>name</c>), unique within a model; weight paths in saved files start
    /// with it. Null: Keras' automatic name (snake_case class name plus a counter, e.g. <c>dense_1</c>).</param>
    /// <param name="trainable">Whether training updates this layer's weights (Keras' <c>trainable</c>).</param>
    public Subtract(string? name = null, bool trainable = true) : base(name, trainable) { }

    private protected override Tensor Combine(Tensor left, Tensor right) => left.sub(right);

    private protected override void CheckInputCount(int count)
    {
        if (count != 2)
            throw new ArgumentException($"Merge layer \"{Name}\" (Subtract) should be called on exactly 2 inputs; received {count}.");
    }
}
