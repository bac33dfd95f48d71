using Layerwise.Training;
using static TorchSharp.torch;

namespace Layerwise.Layers;

/// <summary>
/// Keras' <c>ActivityRegularization</c>: passes inputs through and adds
/// <c>(l1·Σ|x| + l2·Σx²) / batch size</c> to the training loss (tf.keras 2's activity regularizer,
/// averaged over the batch), in <c>Fit</c> and <c>Evaluate</c> alike (see <see cref="Layer.AddLoss"/>).
/// </summary>
[Layer(Module = "keras.layers")]
public partial class ActivityRegularization : Layer
{
    /// <summary>
    /// Creates the layer with Keras' arguments and defaults (<c>keras.layers.ActivityRegularization</c>).
    /// </summary>
    /// <param name="l1">L1 factor of the activity penalty (Keras' <c>l1</c>).</param>
    /// <param name="l2">L2 factor of the activity penalty (Keras' <c>l2</c>).</param>
    /// <param name="inputShape">Per-sample input shape (batch left out; -1 for an unknown dimension), Keras'
    /// <c>input_shape</c>: lets a model build this layer before the first call. Null: built from the first
    /// input.</param>
    /// <param name="name">Layer name (Keras' <c>name</c>), unique within a model; weight paths in saved files start
    /// with it. Null: Keras' automatic name (snake_case class name plus a counter, e.g. <c>dense_1</c>).</param>
    /// <param name="trainable">Whether training updates this layer's weights (Keras' <c>trainable</c>).</param>
    public ActivityRegularization(double l1 = 0.0, double l2 = 0.0, long[]? inputShape = null, string? name = null, bool trainable = true)
        : base(name, trainable, inputShape)
    {
        if (!(l1 >= 0) || !(l2 >= 0) || double.IsInfinity(l1) || double.IsInfinity(l2))
            throw new ArgumentException($"ActivityRegularization needs finite l1 and l2 >= 0; received l1={l1}, l2={l2}.");
        L1 = l1;
        L2 = l2;
    }

    /// <summary>L1 factor of the activity penalty added to the loss (Keras' <c>l1</c>).</summary>
    public double L1 { get; }
    /// <summary>L2 factor of the activity penalty added to the loss (Keras' <c>l2</c>).</summary>
    public double L2 { get; }

    /// <inheritdoc/>
    public override Tensor Call(Tensor inputs, bool training = false)
    {
        if (AddedLosses.Collecting && (L1 != 0 || L2 != 0)) AddLoss(Penalty(inputs));
        return inputs.alias();
    }

    Tensor Penalty(Tensor inputs)
    {
        using var scope = NewDisposeScope();
        var penalty = zeros([], dtype: inputs.dtype, device: inputs.device);
        if (L1 != 0) penalty = penalty.add(inputs.abs().sum().mul(L1));
        if (L2 != 0) penalty = penalty.add(inputs.square().sum().mul(L2));
        return scope.MoveToOuter(penalty.div(inputs.shape[0]));
    }
}
