using static TorchSharp.torch;

namespace Layerwise.Layers;

/// <summary>
/// Keras' <c>TimeDistributed</c>: applies <see cref="Layer"/> to every time step of inputs
/// [batch, timesteps, ...], with the same weights at each step. Time is folded into the batch
/// ([batch·timesteps, ...] through the inner layer, then unfolded), so any number of steps works,
/// unknown (-1) ones included. The inner layer is a tracked sub-layer in the field <c>layer</c>, where
/// Keras 3 (<c>layers/time_distributed/layer/vars/0</c>) and TensorFlow checkpoints
/// (<c>layer_with_weights-0/layer/kernel</c>) keep its weights; the config's <c>layer</c> is its config.
/// A mask [batch, timesteps] passes through (Keras 3); a mask with more axes is folded like the input
/// and given to the inner layer.
/// </summary>
[Layer(Module = "keras.layers")]
public partial class TimeDistributed : Layer
{
    readonly Layer layer;

    /// <summary>Creates the layer with Keras' arguments and defaults (<c>keras.layers.TimeDistributed</c>).</summary>
    /// <param name="layer">The layer applied to every time step (Keras' <c>layer</c>); the wrapper owns it as a tracked
    /// sub-layer.</param>
    /// <param name="inputShape">Per-sample input shape (batch left out; -1 for an unknown dimension), Keras'
    /// <c>input_shape</c>: lets a model build this layer before the first call. Null: built from the first
    /// input.</param>
    /// <param name="name">Layer name (Keras' <c>name</c>), unique within a model; weight paths in saved files start
    /// with it. Null: Keras' automatic name (snake_case class name plus a counter, e.g. <c>dense_1</c>).</param>
    /// <param name="trainable">Whether training updates this layer's weights (Keras' <c>trainable</c>).</param>
    public TimeDistributed(Layer layer, long[]? inputShape = null, string? name = null, bool trainable = true)
        : base(name, trainable, inputShape)
    {
        ArgumentNullException.ThrowIfNull(layer);
        this.layer = layer;
    }

    /// <summary>The layer applied at each step (Keras' <c>layer</c>).</summary>
    public Layer Layer => layer;

    /// <inheritdoc/>
    public override bool SupportsMasking => true;

    /// <inheritdoc/>
    protected override void Build(long[] inputShape)
    {
        if (inputShape.Length < 2)
            throw new IncompatibleShapeException(Name, "an input of at least rank 3 (batch, timesteps, ...)", [-1, .. inputShape]);
        layer.EnsureBuilt(StepShape(inputShape));
    }

    static long[] StepShape(long[] inputShape) => inputShape[1..];

    /// <summary>Any number of time steps; the rest of the shape is checked by the inner layer.</summary>
    protected override void CheckInputShape(long[] batchShape)
    {
        if (batchShape.Length != BuildInputShape!.Length + 1 || batchShape[1] <= 0)
            throw new IncompatibleShapeException(Name, $"an input of rank {BuildInputShape.Length + 1} (batch, timesteps, ...) with at least one step", batchShape);
    }

    /// <inheritdoc/>
    public override Tensor Call(Tensor inputs, bool training = false) => Call(inputs, null, training);

    /// <inheritdoc/>
    public override Tensor Call(Tensor inputs, Tensor? mask, bool training = false)
    {
        using var scope = NewDisposeScope();
        long batch = inputs.shape[0], steps = inputs.shape[1];
        var folded = inputs.reshape([batch * steps, .. inputs.shape[2..]]);
        Tensor? stepMask = null;
        if (mask is not null && mask.shape.Length > 2)
        {
            if (mask.shape[0] != batch || mask.shape[1] != steps)
                throw new IncompatibleShapeException(Name, $"a mask starting with ({batch}, {steps}) (batch, timesteps)", mask.shape);
            stepMask = mask.reshape([batch * steps, .. mask.shape[2..]]);
        }
        var (output, _) = layer.InvokeWithMask(folded, stepMask, training);
        return scope.MoveToOuter(output.reshape([batch, steps, .. output.shape[1..]]));
    }

    /// <inheritdoc/>
    public override long[] ComputeOutputShape(long[] inputShape) => [inputShape[0], .. layer.ComputeOutputShape(StepShape(inputShape))];
}
