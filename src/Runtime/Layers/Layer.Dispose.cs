namespace Layerwise.Layers;

/// <summary>
/// Native memory. A layer owns its weights (libtorch tensors) and its sub-layers: <see cref="Dispose()"/>
/// frees the weights now instead of when the garbage collector gets to them, then disposes every
/// sub-layer, each once even when it is reached twice (a layer shared by two branches of a functional
/// model, or by a nested model). Disposing a model therefore frees every layer it holds, including a
/// layer you also put in another model: dispose the model you are done with only when nothing else uses
/// its layers. Tensors you pass in (inputs, data) stay yours; tensors a layer or model returns
/// (<c>Call</c>, <c>Predict</c>, <see cref="Variable.ToCpu"/>) are new and yours to dispose.
/// A disposed layer refuses to run or to give its weights (<see cref="ObjectDisposedException"/>);
/// disposing twice does nothing.
/// </summary>
public abstract partial class Layer : IDisposable
{
    /// <summary>Whether <see cref="Dispose()"/> has run.</summary>
    public bool IsDisposed { get; private set; }

    /// <summary>Frees the layer's weights and disposes its sub-layers (see the class remarks for what it owns).</summary>
    public void Dispose()
    {
        Dispose(disposing: true);
        GC.SuppressFinalize(this);
    }

    /// <summary>
    /// Frees what the layer owns. Override to free more (tensors a custom layer keeps outside
    /// <see cref="AddWeight"/>), and call the base: it frees the weights and the sub-layers.
    /// </summary>
    /// <param name="disposing">True from <see cref="Dispose()"/>; false from a finalizer (free nothing managed then).</param>
    protected virtual void Dispose(bool disposing)
    {
        if (IsDisposed || !disposing) return;
        var children = SubLayers;   // read before the flag: it tracks field layers first
        IsDisposed = true;
        foreach (var weight in ownWeights) weight.Dispose();
        foreach (var layer in children) layer.Dispose();
    }

    /// <summary>Throws when the layer (or model) has been disposed: used where it is asked to compute or save.</summary>
    /// <exception cref="ObjectDisposedException">It has been disposed.</exception>
    protected void ThrowIfDisposed()
    {
        if (IsDisposed)
            throw new ObjectDisposedException(Name,
                $"{ClassName} \"{Name}\" has been disposed: its weights were freed. Create (or load) it again to use it.");
    }
}
