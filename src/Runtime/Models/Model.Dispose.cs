namespace Layerwise.Models;

public abstract partial class Model
{
    /// <summary>
    /// Frees the model's weights, its layers' (each once, shared ones included: see <see cref="Layers.Layer.Dispose()"/>)
    /// and the optimizer's state for those weights (Adam's m and v, ...). The optimizer object itself stays usable.
    /// </summary>
    /// <param name="disposing">True from <see cref="Layers.Layer.Dispose()"/>.</param>
    protected override void Dispose(bool disposing)
    {
        if (disposing && !IsDisposed && Optimizer is { } optimizer)
        {
            var own = Weights.ToHashSet(ReferenceEqualityComparer.Instance);
            optimizer.ReleaseSlots([.. optimizer.SlotVariables.Where(own.Contains)]);
        }
        base.Dispose(disposing);
    }
}
