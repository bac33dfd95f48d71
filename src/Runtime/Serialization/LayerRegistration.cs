using System.Text.Json.Nodes;
using Layerwise.Layers;

namespace Layerwise.Serialization;

/// <summary>
/// How one <c>[Layer]</c>/<c>[ModelConfig]</c> type is saved and found again: its registered name
/// (<c>"package&gt;Name"</c>), Keras class name and module, and the generated <c>FromConfig</c>.
/// Generated code creates one per type and registers them all in one module initializer per assembly.
/// </summary>
public sealed class LayerRegistration
{
    /// <summary>
    /// Describes a type for the registry (Keras' <c>register_keras_serializable</c>); generated code creates it.
    /// </summary>
    /// <param name="registeredName">Keras' registered name, <c>"package&gt;ClassName"</c>.</param>
    /// <param name="className">The Keras class name configs write.</param>
    /// <param name="module">Keras' <c>module</c> (e.g. <c>keras.layers</c>); empty for custom classes.</param>
    /// <param name="factory">The generated <c>FromConfig</c>.</param>
    public LayerRegistration(string registeredName, string className, string module, Func<JsonObject, Layer> factory)
        : this(null, registeredName, className, module, factory)
    {
    }

    /// <summary>
    /// As <see cref="LayerRegistration(string, string, string, Func{JsonObject, Layer})"/>, for the type
    /// <paramref name="type"/>: once registered, instances of exactly that type report this registration
    /// as their <see cref="Layer.Registration"/> (what generated registrations use).
    /// </summary>
    /// <param name="type">The registered type; null for a registration no type reports.</param>
    /// <param name="registeredName">Keras' registered name, <c>"package&gt;ClassName"</c>.</param>
    /// <param name="className">The Keras class name configs write.</param>
    /// <param name="module">Keras' <c>module</c> (e.g. <c>keras.layers</c>); empty for custom classes.</param>
    /// <param name="factory">The generated <c>FromConfig</c>.</param>
    public LayerRegistration(Type? type, string registeredName, string className, string module, Func<JsonObject, Layer> factory)
    {
        Type = type;
        ArgumentException.ThrowIfNullOrEmpty(registeredName);
        ArgumentException.ThrowIfNullOrEmpty(className);
        ArgumentNullException.ThrowIfNull(factory);
        RegisteredName = registeredName;
        ClassName = className;
        Module = module ?? "";
        Factory = factory;
    }

    /// <summary>The registered type, when the registration names one.</summary>
    public Type? Type { get; }

    /// <summary><c>"package&gt;Name"</c>, e.g. <c>"MyApp&gt;Antirectifier"</c> or <c>"Layerwise&gt;Dense"</c>.</summary>
    public string RegisteredName { get; }

    /// <summary>The Keras class name written as <c>class_name</c> (<c>Dense</c>).</summary>
    public string ClassName { get; }

    /// <summary>The <c>module</c> written beside the class name (<c>keras.layers</c> for built-ins).</summary>
    public string Module { get; }

    /// <summary>Whether this is one of Keras' own classes (module <c>keras</c> or <c>keras.*</c>).</summary>
    public bool IsKerasBuiltIn => Module == "keras" || Module.StartsWith("keras.", StringComparison.Ordinal);

    /// <summary>The generated <c>FromConfig</c>.</summary>
    public Func<JsonObject, Layer> Factory { get; }

    /// <inheritdoc/>
    public override string ToString() => RegisteredName;
}
