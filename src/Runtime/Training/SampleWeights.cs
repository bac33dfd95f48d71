using static TorchSharp.torch;

namespace Layerwise.Training;

/// <summary>
/// Keras' <c>sample_weight</c> and <c>class_weight</c> checks and conversions (tf.keras 2's
/// <c>data_adapter</c>): a sample weight is one number per sample; a class weight becomes one through each
/// sample's class, multiplied into any sample weight given as well.
/// </summary>
internal static class SampleWeights
{
    /// <summary>A sample-weight tensor of shape [samples] or [samples, 1] as float32 [samples] on <paramref name="device"/>.</summary>
    public static Tensor Check(Tensor weights, long samples, string argument, Device device)
    {
        bool shapeOk = weights.dim() switch
        {
            1 => weights.shape[0] == samples,
            2 => weights.shape[0] == samples && weights.shape[1] == 1,
            _ => false,
        };
        if (!shapeOk)
            throw new ArgumentException(
                $"{argument} has shape {ShapeText.Format(weights.shape)} but the data has {samples} samples; expected one weight per sample, shape ({samples},) or ({samples}, 1).", argument);
        return weights.reshape(samples).to_type(ScalarType.Float32).to(device);
    }

    /// <summary>
    /// The weight of each sample's class (Keras' <c>_make_class_weight_map_fn</c>): the class is the argmax of a
    /// one-hot target [n, classes] with classes &gt; 1, else the target cast to an integer. Keras requires the keys
    /// to be exactly 0..k-1 and fails on a class outside them (its gather is out of range); so do we, in words.
    /// </summary>
    public static Tensor FromClasses(Tensor targets, IReadOnlyDictionary<int, double> classWeight, string argument)
    {
        var ids = classWeight.Keys.Order().ToList();
        if (ids.Count == 0 || !ids.SequenceEqual(Enumerable.Range(0, ids.Count)))
            throw new ArgumentException(
                $"{argument}: expected a dictionary with keys from 0 to one less than the number of classes (as Keras), found keys [{string.Join(", ", ids)}].", argument);
        if (targets.dim() > 2)
            throw new ArgumentException($"{argument} is not supported for 3+ dimensional targets; received targets of shape {ShapeText.Format(targets.shape)}.", argument);
        using var classes = targets.dim() == 2 && targets.shape[1] > 1
            ? targets.argmax(1)
            : targets.reshape(-1).to_type(ScalarType.Int64);   // tf.cast truncates toward zero, as to_type does
        using var cpuClasses = classes.cpu();
        var labels = cpuClasses.data<long>().ToArray();
        var missing = labels.Where(c => c < 0 || c >= ids.Count).Distinct().Order().ToList();
        if (missing.Count > 0)
            throw new ArgumentException(
                $"{argument} has no weight for class(es) [{string.Join(", ", missing)}] present in the targets; it covers classes 0..{ids.Count - 1}.", argument);
        var table = ids.Select(i => (float)classWeight[i]).ToArray();
        return tensor(labels.Select(c => table[c]).ToArray(), ScalarType.Float32).to(targets.device);
    }

    /// <summary>
    /// Weights of the leading axes ([batch], or a mask [batch, timesteps]) reshaped to <paramref name="rank"/> axes with
    /// trailing axes of 1, so they broadcast over loss or metric values of that rank, as Keras expands a sample weight
    /// to the losses' rank (<c>squeeze_or_expand_dimensions</c>).
    /// </summary>
    public static Tensor ExpandToRank(Tensor weights, long rank)
    {
        if (weights.dim() >= rank) return weights.alias();
        var shape = new long[rank];
        Array.Fill(shape, 1L);
        for (int i = 0; i < weights.dim(); i++) shape[i] = weights.shape[i];
        return weights.reshape(shape);
    }
}
