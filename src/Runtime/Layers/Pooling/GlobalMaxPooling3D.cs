using static TorchSharp.torch;

namespace Layerwise.Layers;

/// <summary>Keras' <c>GlobalMaxPooling3D</c>: the maximum over depth, height and width of (batch, depth, height, width, channels) (see <see cref="GlobalPooling"/>).</summary>
[Layer(Module = "keras.layers")]
public partial class GlobalMaxPooling3D : GlobalPooling
{
    public GlobalMaxPooling3D(string? dataFormat = null, bool keepdims = false, long[]? inputShape = null, string? name = null, bool trainable = true)
        : base(3, dataFormat, keepdims, inputShape, name, trainable) { }

    private protected override Tensor Reduce(Tensor inputs, long[] axes, bool keepdims) => inputs.amax(axes, keepdims);
}
