using static TorchSharp.torch;

namespace Layerwise.Layers;

/// <summary>
/// Keras' masks: a boolean tensor [batch, timesteps] beside a sequence that marks the steps to use
/// (true) and the padding to skip (false). A layer makes one (<see cref="Embedding"/> with
/// <c>mask_zero</c>, <see cref="Masking"/>), passes it on (<see cref="SupportsMasking"/>: Dense, Dropout,
/// Activation, ...), or consumes it (recurrent layers skip masked steps, <see cref="GlobalAveragePooling1D"/>
/// averages over unmasked steps). Models carry the mask from layer to layer beside the tensor
/// (<see cref="InvokeWithMask"/>); a layer that does not support masking drops it, as Keras 3 does.
/// </summary>
public abstract partial class Layer
{
    /// <summary>Keras' <c>supports_masking</c>: whether the input mask passes through this layer unchanged (by default).</summary>
    public virtual bool SupportsMasking => false;

    /// <summary>
    /// Keras' <c>compute_mask</c>: the mask of the output for <paramref name="inputs"/> and their
    /// <paramref name="mask"/> (null: none). By default the input mask when <see cref="SupportsMasking"/>, else none.
    /// </summary>
    public virtual Tensor? ComputeMask(Tensor inputs, Tensor? mask) => SupportsMasking ? mask : null;

    /// <summary>
    /// Keras' <c>call(inputs, mask=...)</c>: the computation given the input's mask (null: none). Layers
    /// that use the mask (recurrent layers, pooling) override this; by default the mask is not used.
    /// </summary>
    public virtual Tensor Call(Tensor inputs, Tensor? mask, bool training = false) => Call(inputs, training);

    /// <summary>The output and its mask; models (Sequential, Functional) override it to carry masks through their layers.</summary>
    private protected virtual (Tensor Output, Tensor? Mask) CallWithMask(Tensor inputs, Tensor? mask, bool training) =>
        (Call(inputs, mask, training), ComputeMask(inputs, mask));

    /// <summary>
    /// <see cref="Invoke"/> with a mask: checks the input shape (building on first use), calls the layer
    /// with <paramref name="mask"/> and returns the output with the output's mask.
    /// </summary>
    public (Tensor Output, Tensor? Mask) InvokeWithMask(Tensor inputs, Tensor? mask, bool training = false)
    {
        CheckOrBuildFor(inputs);
        return CallWithMask(inputs, mask, training);
    }

    /// <summary>
    /// A [batch, timesteps] mask for <paramref name="inputs"/> [batch, timesteps, ...], as booleans; throws
    /// <see cref="IncompatibleShapeException"/> when its shape does not match (checked before any tensor math).
    /// </summary>
    private protected Tensor TimestepMask(Tensor mask, Tensor inputs, int timeAxis = 1)
    {
        if (mask.shape.Length != 2 || mask.shape[0] != inputs.shape[0] || mask.shape[1] != inputs.shape[timeAxis])
            throw new IncompatibleShapeException(Name, $"a mask of shape ({inputs.shape[0]}, {inputs.shape[timeAxis]}) (batch, timesteps) for inputs {ShapeText.Format(inputs.shape)}",
                                                 mask.shape);
        return mask.dtype == ScalarType.Bool ? mask : mask.ne(0);
    }
}
