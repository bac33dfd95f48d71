using static TorchSharp.torch;

namespace Layerwise.Layers;

/// <summary>Keras' <c>Minimum</c>: the element-wise minimum of its inputs (shapes as for <see cref="ElementwiseMerge"/>).</summary>
[Layer(Module = "keras.layers")]
public partial class Minimum : ElementwiseMerge
{
    public Minimum(string? name = null, bool trainable = true) : base(name, trainable) { }

    private protected override Tensor Combine(Tensor left, Tensor right) => left.minimum(right);
}
