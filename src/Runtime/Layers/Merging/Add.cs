using static TorchSharp.torch;

namespace Layerwise.Layers;

/// <summary>
/// Keras' <c>Add</c>: the element-wise sum of its inputs. Shapes must be equal per axis, or 1 where
/// they differ (broadcast, as Keras' element-wise merge rule); the ranks must be equal.
/// </summary>
[Layer(Module = "keras.layers")]
public partial class Add : ElementwiseMerge
{
    public Add(string? name = null, bool trainable = true) : base(name, trainable) { }

    private protected override Tensor Combine(Tensor left, Tensor right) => left.add(right);
}
