namespace Layerwise;

/// <summary>Base of the typed errors the runtime throws for bad input, files or configurations.</summary>
public class LayerwiseException : Exception
{
    public LayerwiseException(string message) : base(message) { }
    public LayerwiseException(string message, Exception inner) : base(message, inner) { }
}

/// <summary>
/// Input whose shape a layer cannot accept. Thrown before any tensor math runs, so a mismatch is a
/// managed error rather than a native crash.
/// </summary>
public sealed class IncompatibleShapeException : LayerwiseException
{
    public IncompatibleShapeException(string layerName, string expected, long[] received, string? detail = null)
        : base($"Input 0 of layer \"{layerName}\" is incompatible with the layer: expected {expected}, " +
               $"but received input with shape {ShapeText.Format(received)}." + (detail is null ? "" : " " + detail))
    {
        LayerName = layerName;
        ReceivedShape = received;
    }

    public string LayerName { get; }
    public long[] ReceivedShape { get; }
}
