namespace Layerwise.Serialization;

/// <summary>
/// A config that cannot be turned back into an object: a required key is missing, a value does not
/// have the type the constructor argument needs, or the constructor refuses it. The message names the
/// key (or the layer), what was expected and what was received.
/// </summary>
public sealed class ConfigException : LayerwiseException
{
    public ConfigException(string path, string message) : base($"Invalid config at {path}: {message}") => Path = path;

    public ConfigException(string path, string message, Exception inner) : base($"Invalid config at {path}: {message}", inner) => Path = path;

    /// <summary>Where in the config the problem is, e.g. <c>Dense.config.units</c>.</summary>
    public string Path { get; }
}

/// <summary>
/// A config names a class that is not registered (Keras' "Unknown layer"). The message says how to
/// register it and lists the registered names closest to the one received.
/// </summary>
public sealed class UnknownLayerException : LayerwiseException
{
    public UnknownLayerException(string requested, IReadOnlyList<string> nearMatches, string message) : base(message)
    {
        RequestedName = requested;
        NearMatches = nearMatches;
    }

    /// <summary>The name the config asked for (registered name when present, class name otherwise).</summary>
    public string RequestedName { get; }

    /// <summary>Registered names and class names close to <see cref="RequestedName"/>, nearest first.</summary>
    public IReadOnlyList<string> NearMatches { get; }
}
