using static TorchSharp.torch;

namespace Layerwise.Layers;

/// <summary>Keras' <c>Multiply</c>: the element-wise product of its inputs (shapes as for <see cref="ElementwiseMerge"/>).</summary>
[Layer(Module = "keras.layers")]
public partial class Multiply : ElementwiseMerge
{
    public Multiply(string? name = null, bool trainable = true) : base(name, trainable) { }

    private protected override Tensor Combine(Tensor left, Tensor right) => left.mul(right);
}
