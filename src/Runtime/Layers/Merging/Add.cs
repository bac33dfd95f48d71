using static TorchSharp.torch;

namespace Layerwise.Layers;

/// <summary>
/// Keras' <c>Add</c>: the element-wise sum of its inputs. Shapes must be equal per axis, or 1 where
/// they differ (broadcast, as Keras' element-wise merge rule); the ranks must be equal.
/// </summary>
[Layer(Module = "keras.layers")]
public partial class Add : ElementwiseMerge
{
    /// <summary>Creates the layer with Keras' arguments and defaults (<c>keras.layers.Add</c>).</summary>
    /// <param name="name">Layer name (Keras' <c>name</c>), unique within a model; weight paths in saved files start
    /// with it. Null: Keras' automatic name (snake_case class name plus a counter, e.g. <c>dense_1</c>).</param>
    /// <param name="trainable">Whether training updates this layer's weights (Keras' <c>trainable</c>).</param>
    public Add(string? name = null, bool trainable = true) : base(name, trainable) { }

    private protected override Tensor Combine(Tensor left, Tensor right) => left.add(right);
}
