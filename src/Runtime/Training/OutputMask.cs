using static TorchSharp.torch;

namespace Layerwise.Training;

/// <summary>
/// A model output's mask (Keras' <c>_keras_mask</c>, e.g. [batch, timesteps] after <c>Embedding(mask_zero)</c> and a
/// recurrent layer with <c>return_sequences</c>) as weights of per-element loss or metric values, as tf.keras 2's
/// <c>losses_utils.apply_mask</c> turns it into a sample weight. The mask covers the leading axes of the values:
/// [batch, timesteps] masks values [batch, timesteps] (a loss reduced over the last axis) or [batch, timesteps, ...].
/// </summary>
internal static class OutputMask
{
    /// <summary>
    /// The mask as 0/1 weights of <paramref name="values"/>' dtype, shaped to broadcast over them (trailing axes of 1);
    /// throws <see cref="IncompatibleShapeException"/> (naming <paramref name="user"/>) when the mask's shape is not the
    /// leading part of the values' shape, before any tensor math.
    /// </summary>
    public static Tensor AsWeights(Tensor mask, Tensor values, string user)
    {
        var maskShape = mask.shape;
        var valueShape = values.shape;
        bool leading = maskShape.Length >= 1 && maskShape.Length <= valueShape.Length &&
                       maskShape.AsSpan().SequenceEqual(valueShape.AsSpan(0, maskShape.Length));
        if (!leading)
            throw new IncompatibleShapeException(user,
                $"a mask over the leading axes of its values {ShapeText.Format(valueShape)}", maskShape,
                "The model output's mask weights the loss and metric values per step, as in Keras.");
        using var asFloat = mask.dtype == ScalarType.Bool ? mask.to_type(values.dtype) : mask.ne(0).to_type(values.dtype);
        return SampleWeights.ExpandToRank(asFloat, valueShape.Length);
    }
}
