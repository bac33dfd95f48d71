namespace Layerwise;

/// <summary>
/// Unknown dimensions (Keras' <c>None</c>) in per-sample shapes: <see cref="Unknown"/> (-1) stands for a
/// size that is only known when data arrives, as in <c>Keras.Input(shape: [-1, 8])</c> for sequences of
/// any length. Layers create weights only from dimensions that must be known (a Dense layer's features,
/// a convolution's channels) and pass unknown ones through their output shapes.
/// </summary>
public static class Dimensions
{
    /// <summary>An unknown size (Keras' <c>None</c>); configs write it as <c>null</c>.</summary>
    public const long Unknown = -1;

    /// <summary>Whether <paramref name="dimension"/> is a known size (not <see cref="Unknown"/>).</summary>
    public static bool IsKnown(long dimension) => dimension >= 0;

    /// <summary>Whether every dimension of <paramref name="shape"/> is known.</summary>
    public static bool AllKnown(IReadOnlyList<long> shape) => shape.All(IsKnown);

    /// <summary>Whether two sizes can describe the same axis: equal, or one of them unknown (Keras' <c>InputSpec</c> check).</summary>
    public static bool Compatible(long a, long b) => a == b || !IsKnown(a) || !IsKnown(b);

    /// <summary>Whether per-sample shape <paramref name="actual"/> fits <paramref name="expected"/>: same rank, each axis compatible.</summary>
    public static bool Compatible(IReadOnlyList<long> expected, IReadOnlyList<long> actual)
    {
        // A loop, not LINQ: every layer call checks its input with this.
        if (expected.Count != actual.Count) return false;
        for (int i = 0; i < expected.Count; i++)
            if (!Compatible(expected[i], actual[i])) return false;
        return true;
    }

    /// <summary>The number of values per sample, or <see cref="Unknown"/> when a dimension is unknown.</summary>
    public static long Product(IReadOnlyList<long> shape) =>
        AllKnown(shape) ? shape.Aggregate(1L, (a, b) => a * b) : Unknown;

    /// <summary>A per-sample shape for an argument or config: each size positive or <see cref="Unknown"/>; null when it is not.</summary>
    internal static string? Problem(IReadOnlyList<long> shape) =>
        shape.Any(d => d == 0 || d < Unknown)
            ? $"sizes must be positive or -1 (unknown, Keras' None); received [{string.Join(", ", shape)}]"
            : null;

    /// <summary>
    /// The size of a per-sample axis a layer needs to know to create its weights; an
    /// <see cref="IncompatibleShapeException"/> naming the layer and the axis when it is unknown
    /// (Keras: "The last dimension of the inputs to a Dense layer should be defined. Found None.").
    /// </summary>
    /// <param name="sampleShape">The per-sample input shape the layer is built for.</param>
    /// <param name="axis">The axis of <paramref name="sampleShape"/> (negative counts from the end).</param>
    /// <param name="layerName">The layer's name, for the message.</param>
    /// <param name="className">The layer's Keras class name, for the message.</param>
    /// <param name="axisName">How the message calls the axis: "last", "channel", "feature".</param>
    public static long RequireKnown(long[] sampleShape, int axis, string layerName, string className, string axisName)
    {
        long size = sampleShape[axis < 0 ? sampleShape.Length + axis : axis];
        if (IsKnown(size)) return size;
        throw new IncompatibleShapeException(layerName,
            $"the {axisName} dimension of the inputs to a {className} layer to be defined (not None), since its weights depend on it",
            [Unknown, .. sampleShape]);
    }
}
