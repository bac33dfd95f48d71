namespace Layerwise.Layers;

/// <summary>The <c>value_range</c> of Keras' colour augmentations: [min, max] of pixel values, [0, 255] by default.</summary>
internal static class ValueRanges
{
    public static double[] Check(double[]? valueRange, string parameter)
    {
        if (valueRange is null) return [0, 255];
        if (valueRange.Length != 2 || !(valueRange[0] < valueRange[1]))
            throw new ArgumentException($"value_range must be [min, max] with min < max; received [{string.Join(", ", valueRange)}].", parameter);
        return [.. valueRange];
    }
}
