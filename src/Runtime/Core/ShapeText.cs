namespace Layerwise;

/// <summary>Shapes written the way Keras prints them: <c>(None, 512)</c>, <c>(32, 784)</c>, <c>(None, None, 8)</c>.</summary>
public static class ShapeText
{
    /// <summary>A shape, batch dimension included; an unknown dimension (-1) prints as <c>None</c>.</summary>
    public static string Format(IReadOnlyList<long> shape) => Tuple(shape.Select(Dimension));

    /// <summary>A per-sample shape with the batch dimension shown as <c>None</c> (and unknown dimensions too).</summary>
    public static string WithBatch(IReadOnlyList<long> sampleShape) => Tuple(sampleShape.Select(Dimension).Prepend("None"));

    static string Dimension(long d) => d == Dimensions.Unknown ? "None" : d.ToString();

    static string Tuple(IEnumerable<string> dims)
    {
        var parts = dims.ToArray();
        return parts.Length == 1 ? $"({parts[0]},)" : $"({string.Join(", ", parts)})";
    }
}
