using static TorchSharp.torch;

namespace Layerwise.Layers;

/// <summary>Keras' <c>Subtract</c>: its first input minus its second; exactly two inputs, as Keras requires (shapes as for <see cref="ElementwiseMerge"/>).</summary>
[Layer(Module = "keras.layers")]
public partial class Subtract : ElementwiseMerge
{
    public Subtract(string? name = null, bool trainable = true) : base(name, trainable) { }

    private protected override Tensor Combine(Tensor left, Tensor right) => left.sub(right);

    private protected override void CheckInputCount(int count)
    {
        if (count != 2)
            throw new ArgumentException($"Merge layer \"{Name}\" (Subtract) should be called on exactly 2 inputs; received {count}.");
    }
}
