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
    public ActivityRegularization(double l1 = 0.0, double l2 = 0.0, long[]? inputShape = null, string? name = null, bool trainable = true)
        : base(name, trainable, inputShape)
    {
        if (!(l1 >= 0) || !(l2 >= 0) || double.IsInfinity(l1) || double.IsInfinity(l2))
            throw new ArgumentException($"ActivityRegularization needs finite l1 and l2 >= 0; received l1={l1}, l2={l2}.");
        L1 = l1;
        L2 = l2;
    }

    public double L1 { get; }
    public double L2 { get; }

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
