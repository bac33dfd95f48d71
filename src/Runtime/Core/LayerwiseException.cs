namespace Layerwise;

/// <summary>Base of the typed errors the runtime throws for bad input, files or configurations.</summary>
public class LayerwiseException : Exception
{
    /// <summary>An error with <paramref name="message"/>, which says what, where and what was expected.</summary>
    /// <param name="message">The full message.</param>
    public LayerwiseException(string message) : base(message) { }
    /// <summary>An error caused by <paramref name="inner"/>.</summary>
    /// <param name="message">The full message.</param>
    /// <param name="inner">The underlying exception.</param>
    public LayerwiseException(string message, Exception inner) : base(message, inner) { }
}

/// <summary>
/// Input whose shape a layer cannot accept. Thrown before any tensor math runs, so a mismatch is a
/// managed error rather than a native crash.
/// </summary>
public sealed class IncompatibleShapeException : LayerwiseException
{
    /// <summary>
    /// Keras' message: <c>Input 0 of layer "name" is incompatible with the layer: expected ..., but received input with
    /// shape (...)</c>.
    /// </summary>
    /// <param name="layerName">The layer that refused the input.</param>
    /// <param name="expected">What it expected, e.g. <c>axis -1 of input shape to have value 8</c>.</param>
    /// <param name="received">The input's batch shape, as received.</param>
    /// <param name="detail">A sentence appended to the message, e.g. how to fix it.</param>
    public IncompatibleShapeException(string layerName, string expected, long[] received, string? detail = null)
        : base($"Input 0 of layer \"{layerName}\" is incompatible with the layer: expected {expected}, " +
               $"but received input with shape {ShapeText.Format(received)}." + (detail is null ? "" : " " + detail))
    {
        LayerName = layerName;
        ReceivedShape = received;
    }

    /// <summary>The layer that refused the input.</summary>
    public string LayerName { get; }
    /// <summary>The input's batch shape, as received.</summary>
    public long[] ReceivedShape { get; }
}
