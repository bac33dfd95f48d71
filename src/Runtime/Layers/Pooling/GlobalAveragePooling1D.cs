using static TorchSharp.torch;

namespace Layerwise.Layers;

/// <summary>
/// Keras' <c>GlobalAveragePooling1D</c>: the mean over the steps of (batch, steps, channels) (see <see cref="GlobalPooling"/>).
/// With a mask [batch, steps] the mean is over the unmasked steps only (Keras' masked mean); the mask stops here.
/// </summary>
[Layer(Module = "keras.layers")]
public partial class GlobalAveragePooling1D : GlobalPooling
{
    /// <summary>
    /// Creates the layer with Keras' arguments and defaults (<c>keras.layers.GlobalAveragePooling1D</c>).
    /// </summary>
    /// <param name="dataFormat">Keras' <c>data_format</c>: <c>channels_last</c> (batch, spatial..., channels) or
    /// <c>channels_first</c> (batch, channels, spatial...). Null: <c>channels_last</c>.</param>
    /// <param name="keepdims">Whether to keep the pooled spatial axes with size 1 (Keras' <c>keepdims</c>).</param>
    /// <param name="inputShape">Per-sample input shape (batch left out; -1 for an unknown dimension), Keras'
    /// <c>input_shape</c>: lets a model build this layer before the first call. Null: built from the first
    /// input.</param>
    /// <param name="name">Layer name (Keras' <c>name</c>), unique within a model; weight paths in saved files start
    /// with it. Null: Keras' automatic name (snake_case class name plus a counter, e.g. <c>dense_1</c>).</param>
    /// <param name="trainable">Whether training updates this layer's weights (Keras' <c>trainable</c>).</param>
    public GlobalAveragePooling1D(string? dataFormat = null, bool keepdims = false, long[]? inputShape = null, string? name = null, bool trainable = true)
        : base(1, dataFormat, keepdims, inputShape, name, trainable) { }

    private protected override Tensor Reduce(Tensor inputs, long[] axes, bool keepdims) => inputs.mean(axes, keepdims);

    /// <inheritdoc/>
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
