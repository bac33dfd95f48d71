using static TorchSharp.torch;

namespace Layerwise.Layers;

/// <summary>Keras' <c>Average</c>: the element-wise mean of its inputs (shapes as for <see cref="ElementwiseMerge"/>).</summary>
[Layer(Module = "keras.layers")]
public partial class Average : ElementwiseMerge
{
    public Average(string? name = null, bool trainable = true) : base(name, trainable) { }

    private protected override Tensor Combine(Tensor left, Tensor right) => left.add(right);

    private protected override Tensor Finish(Tensor folded, int count) => folded.div(count);
}
