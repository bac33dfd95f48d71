using static TorchSharp.torch;

namespace Layerwise.Layers;

/// <summary>Keras' <c>Maximum</c>: the element-wise maximum of its inputs (shapes as for <see cref="ElementwiseMerge"/>).</summary>
[Layer(Module = "keras.layers")]
public partial class Maximum : ElementwiseMerge
{
    public Maximum(string? name = null, bool trainable = true) : base(name, trainable) { }

    private protected override Tensor Combine(Tensor left, Tensor right) => left.maximum(right);
}
