using static TorchSharp.torch;

namespace Layerwise.Layers;

/// <summary>
/// A weight laid out as torch's kernels want it (a Keras convolution kernel [k.., in, out] permuted to
/// [out, in, k..] and made contiguous), kept between calls that record no gradient, so a prediction does
/// not reshape and copy the weight every time. The copy is used only while it is still the weight's: the
/// same tensor (a model moved to another device has new ones) at the same libtorch version (every
/// in-place write through torch, and every file reader writing into the weight's memory, counts one;
/// see <see cref="TensorVersion"/>). When gradients are recorded the layout is derived from the weight
/// each call, as before, so training sees the weight itself.
/// </summary>
internal sealed class KernelLayoutCache(Func<Tensor, Tensor> layout)
{
    sealed record Entry(Tensor Source, long Version, Tensor Layout);

    readonly Lock gate = new();
    volatile Entry? entry;

    /// <summary>
    /// The weight in torch's layout: the cached copy when no gradient is recorded and it is current, else
    /// <c>layout(weight)</c> (a new tensor in the caller's dispose scope, in the autograd graph).
    /// </summary>
    public Tensor For(Tensor weight)
    {
        if (is_grad_enabled()) return layout(weight);
        if (TensorVersion.Current(weight) is not { } version) return layout(weight);
        var current = entry;
        if (current is not null && ReferenceEquals(current.Source, weight) && current.Version == version) return current.Layout;
        lock (gate)
        {
            current = entry;
            if (current is not null && ReferenceEquals(current.Source, weight) && current.Version == version) return current.Layout;
            Tensor copy;
            using (NewDisposeScope())
            {
                // Contiguous: a copy, unless the layout already is (then a view of the weight, current by construction).
                copy = layout(weight.detach()).contiguous();
                copy.DetachFromDisposeScope();
            }
            entry = new Entry(weight, version, copy);
            // Weights changed (or moved) since the last copy: it is no longer used by this thread, and a model
            // must not be predicted with on one thread while its weights change on another.
            current?.Layout.Dispose();
            return copy;
        }
    }

    /// <summary>Frees the cached copy (the layer is disposed).</summary>
    public void Clear()
    {
        lock (gate)
        {
            entry?.Layout.Dispose();
            entry = null;
        }
    }
}
