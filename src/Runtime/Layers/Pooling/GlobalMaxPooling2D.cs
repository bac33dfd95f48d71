using static TorchSharp.torch;

namespace Layerwise.Layers;

/// <summary>Keras' <c>GlobalMaxPooling2D</c>: the maximum over height and width of (batch, height, width, channels) (see <see cref="GlobalPooling"/>).</summary>
[Layer(Module = "keras.layers")]
public partial class GlobalMaxPooling2D : GlobalPooling
{
    public GlobalMaxPooling2D(string? dataFormat = null, bool keepdims = false, long[]? inputShape = null, string? name = null, bool trainable = true)
        : base(2, dataFormat, keepdims, inputShape, name, trainable) { }

    private protected override Tensor Reduce(Tensor inputs, long[] axes, bool keepdims) => inputs.amax(axes, keepdims);
}
