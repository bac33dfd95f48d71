using static TorchSharp.torch;

namespace Layerwise.Layers;

/// <summary>Keras' <c>GlobalAveragePooling1D</c>: the mean over the steps of (batch, steps, channels) (see <see cref="GlobalPooling"/>).</summary>
[Layer(Module = "keras.layers")]
public partial class GlobalAveragePooling1D : GlobalPooling
{
    public GlobalAveragePooling1D(string? dataFormat = null, bool keepdims = false, long[]? inputShape = null, string? name = null, bool trainable = true)
        : base(1, dataFormat, keepdims, inputShape, name, trainable) { }

    private protected override Tensor Reduce(Tensor inputs, long[] axes, bool keepdims) => inputs.mean(axes, keepdims);
}
