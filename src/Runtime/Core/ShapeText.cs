namespace Layerwise;

/// <summary>Shapes written the way Keras prints them: <c>(None, 512)</c>, <c>(32, 784)</c>.</summary>
public static class ShapeText
{
    /// <summary>A concrete shape, batch dimension included.</summary>
    public static string Format(IReadOnlyList<long> shape) => Tuple(shape.Select(d => d.ToString()));

    /// <summary>A per-sample shape with the batch dimension shown as <c>None</c>.</summary>
    public static string WithBatch(IReadOnlyList<long> sampleShape) => Tuple(sampleShape.Select(d => d.ToString()).Prepend("None"));

    static string Tuple(IEnumerable<string> dims)
    {
        var parts = dims.ToArray();
        return parts.Length == 1 ? $"({parts[0]},)" : $"({string.Join(", ", parts)})";
    }
}
