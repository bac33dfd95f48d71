using Layerwise.Training;
using static TorchSharp.torch;

namespace Layerwise.Layers;

public abstract partial class Layer
{
    /// <summary>
    /// Keras' <c>add_loss</c>: adds a scalar (computed in <see cref="Call(Tensor, bool)"/>) to the loss of
    /// the batch being trained or evaluated; <c>Fit</c>'s gradients flow through it. Outside
    /// <c>Fit</c>/<c>Evaluate</c> it is ignored (check <see cref="AddedLosses.Collecting"/> to skip the work).
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="loss"/> is not a scalar.</exception>
    protected void AddLoss(Tensor loss)
    {
        if (loss.numel() != 1)
            throw new ArgumentException($"Layer \"{Name}\" added a loss of shape {ShapeText.Format(loss.shape)}; an added loss must be a scalar.", nameof(loss));
        AddedLosses.Add(loss.dim() == 0 ? loss : loss.reshape([]));
    }
}
