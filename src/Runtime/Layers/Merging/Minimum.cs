using static TorchSharp.torch;

namespace Layerwise.Layers;

/// <summary>Keras' <c>Minimum</c>: the element-wise minimum of its inputs (shapes as for <see cref="ElementwiseMerge"/>).</summary>
[Layer(Module = "keras.layers")]
public partial class Minimum : ElementwiseMerge
{
    /// <summary>Creates the layer with Keras' arguments and defaults (<c>keras.layers.Minimum</c>).</summary>
    /// <param name="name">Layer name (Keras' <c>name</c>), unique within a model; weight paths in saved files start
    /// with it. Null: Keras' automatic name (snake_case class name plus a counter, e.g. <c>dense_1</c>).</param>
    /// <param name="trainable">Whether training updates this layer's weights (Keras' <c>trainable</c>).</param>
    public Minimum(string? name = null, bool trainable = true) : base(name, trainable) { }

    private protected override Tensor Combine(Tensor left, Tensor right) => left.minimum(right);
}
