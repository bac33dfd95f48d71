using static TorchSharp.torch;

namespace Layerwise.Layers;

/// <summary>Keras' <c>GlobalMaxPooling1D</c>: the maximum over the steps of (batch, steps, channels) (see <see cref="GlobalPooling"/>).</summary>
[Layer(Module = "keras.layers")]
public partial class GlobalMaxPooling1D : GlobalPooling
{
    public GlobalMaxPooling1D(string? dataFormat = null, bool keepdims = false, long[]? inputShape = null, string? name = null, bool trainable = true)
        : base(1, dataFormat, keepdims, inputShape, name, trainable) { }

    private protected override Tensor Reduce(Tensor inputs, long[] axes, bool keepdims) => inputs.amax(axes, keepdims);
}
