namespace Layerwise.Serialization;

/// <summary>
/// A config that cannot be turned back into an object: a required key is missing, a value does not
/// have the type the constructor argument needs, or the constructor refuses it. The message names the
/// key (or the layer), what was expected and what was received.
/// </summary>
public sealed class ConfigException : LayerwiseException
{
    /// <summary>A config error at <paramref name="path"/>: <c>Invalid config at {path}: {message}</c>.</summary>
    /// <param name="path">Where in the config, e.g. <c>Dense.config.units</c>.</param>
    /// <param name="message">What is wrong, what was expected and what was received.</param>
    public ConfigException(string path, string message) : base($"Invalid config at {path}: {message}") => Path = path;

    /// <summary>
    /// A config error at <paramref name="path"/> caused by <paramref name="inner"/> (e.g. a constructor that refused
    /// the value).
    /// </summary>
    /// <param name="path">Where in the config, e.g. <c>Dense.config.units</c>.</param>
    /// <param name="message">What is wrong, what was expected and what was received.</param>
    /// <param name="inner">The underlying exception.</param>
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
    /// <summary>Keras' "Unknown layer" error for <paramref name="requested"/>.</summary>
    /// <param name="requested">The name the config asked for.</param>
    /// <param name="nearMatches">Registered names close to it, nearest first.</param>
    /// <param name="message">The message, saying how to register the class.</param>
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
