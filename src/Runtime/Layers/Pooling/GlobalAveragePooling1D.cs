using static TorchSharp.torch;

namespace Layerwise.Layers;

/// <summary>
/// Keras' <c>GlobalAveragePooling1D</c>: the mean over the steps of (batch, steps, channels) (see <see cref="GlobalPooling"/>).
/// With a mask [batch, steps] the mean is over the unmasked steps only (Keras' masked mean); the mask stops here.
/// </summary>
[Layer(Module = "keras.layers")]
public partial class GlobalAveragePooling1D : GlobalPooling
{
    public GlobalAveragePooling1D(string? dataFormat = null, bool keepdims = false, long[]? inputShape = null, string? name = null, bool trainable = true)
        : base(1, dataFormat, keepdims, inputShape, name, trainable) { }

    private protected override Tensor Reduce(Tensor inputs, long[] axes, bool keepdims) => inputs.mean(axes, keepdims);

    public override Tensor Call(Tensor inputs, Tensor? mask, bool training = false)
    {
        if (mask is null) return Call(inputs, training);
        using var scope = NewDisposeScope();
        bool channelsLast = DataFormat == "channels_last";
        long stepsAxis = channelsLast ? 1 : 2;
        var weights = TimestepMask(mask, inputs, (int)stepsAxis).to_type(inputs.dtype).unsqueeze(channelsLast ? 2 : 1);
        var mean = inputs.mul(weights).sum([stepsAxis], Keepdims).div(weights.sum([stepsAxis], Keepdims));
        return scope.MoveToOuter(mean);
    }
}
