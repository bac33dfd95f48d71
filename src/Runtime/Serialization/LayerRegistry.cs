using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json.Nodes;
using Layerwise.Layers;

namespace Layerwise.Serialization;

/// <summary>
/// The registered <c>[Layer]</c> and <c>[ModelConfig]</c> types, by registered name
/// (<c>"package&gt;Name"</c>, Keras 3's convention) and by Keras class name. Generated module
/// initializers fill it; configs read from files resolve only through it (no type is ever looked up
/// by a name read from a file).
/// </summary>
public static class LayerRegistry
{
    static readonly Lock gate = new();
    static readonly Dictionary<string, List<LayerRegistration>> byRegisteredName = new(StringComparer.Ordinal);
    static readonly Dictionary<string, List<LayerRegistration>> byClassName = new(StringComparer.Ordinal);
    static readonly Dictionary<Type, LayerRegistration> byType = [];

    /// <summary>Adds a type (called by generated code). Registering the same object twice is a no-op.</summary>
    public static void Register(LayerRegistration registration)
    {
        ArgumentNullException.ThrowIfNull(registration);
        lock (gate)
        {
            Add(byRegisteredName, registration.RegisteredName, registration);
            Add(byClassName, registration.ClassName, registration);
            // The first registration of a type is what its instances report (saving must not depend on load order).
            if (registration.Type is { } type) byType.TryAdd(type, registration);
        }
    }

    /// <summary>The registration naming exactly <paramref name="type"/>, or null (what <see cref="Layer.Registration"/> reports).</summary>
    public static LayerRegistration? ForType(Type type)
    {
        ArgumentNullException.ThrowIfNull(type);
        lock (gate) return byType.GetValueOrDefault(type);
    }

    static void Add(Dictionary<string, List<LayerRegistration>> map, string key, LayerRegistration registration)
    {
        if (!map.TryGetValue(key, out var list)) map[key] = list = [];
        if (!list.Contains(registration)) list.Add(registration);
    }

    /// <summary>
    /// Runs the module initializers of <typeparamref name="T"/>'s assembly, so that its types are
    /// registered even if no code of that assembly has run yet (a plug-in loaded only for its layers).
    /// What Keras' <c>custom_objects</c> argument is for: here the types register themselves, and this
    /// only makes sure their assembly has been initialized before <c>Model.Load</c>.
    /// </summary>
    public static void RegisterAssemblyOf<T>() => RuntimeHelpers.RunModuleConstructor(typeof(T).Module.ModuleHandle);

    /// <summary>
    /// Runs the registrations of the referenced assembly <paramref name="assemblyName"/> (a simple
    /// name). Called by generated module initializers for each referenced assembly marked
    /// <see cref="LayerAssemblyAttribute"/>; an assembly that cannot be found is skipped.
    /// </summary>
    public static void RegisterReferencedAssembly(string assemblyName)
    {
        ArgumentException.ThrowIfNullOrEmpty(assemblyName);
        LayerAssemblies.Initialize(assemblyName);
    }

    /// <summary>Every registered name, sorted.</summary>
    public static IReadOnlyList<string> RegisteredNames
    {
        get { lock (gate) return [.. byRegisteredName.Keys.Order(StringComparer.Ordinal)]; }
    }

    /// <summary>The registration for a registered name (<c>"MyApp&gt;Antirectifier"</c>) or a Keras class name (<c>"Dense"</c>).</summary>
    /// <exception cref="LayerwiseException">The name is registered by more than one type.</exception>
    public static bool TryResolve(string name, out LayerRegistration registration)
    {
        registration = null!;
        lock (gate)
        {
            if (byRegisteredName.TryGetValue(name, out var exact))
            {
                if (exact.Count != 1)
                    throw new LayerwiseException($"Two types are registered as \"{name}\" (in {string.Join(" and ", exact.Select(r => r.Module))}): " +
                        "give one of them another name with [Layer(Package = ..., Name = ...)].");
                registration = exact[0];
                return true;
            }
            if (byClassName.TryGetValue(name, out var byClass))
            {
                // Keras' own classes win their class name; otherwise the class name must be unambiguous.
                var builtIns = byClass.Where(r => r.IsKerasBuiltIn).ToList();
                var candidates = builtIns.Count > 0 ? builtIns : byClass;
                if (candidates.Count != 1)
                    throw new LayerwiseException($"Class name \"{name}\" is registered by several types ({string.Join(", ", candidates)}): " +
                        "the config must say which with its \"registered_name\".");
                registration = candidates[0];
                return true;
            }
        }
        return false;
    }

    /// <summary>
    /// As <see cref="TryResolve"/>, trying <paramref name="registeredName"/> first, then
    /// <paramref name="className"/>; throws <see cref="UnknownLayerException"/> otherwise.
    /// </summary>
    public static LayerRegistration Resolve(string? registeredName, string? className)
    {
        if (IsRegistered(registeredName, className, out var registration)) return registration;
        throw Unknown(registeredName, className);
    }

    /// <summary>Whether <paramref name="registeredName"/> or else <paramref name="className"/> resolves, as <see cref="Resolve"/> tries them.</summary>
    internal static bool IsRegistered(string? registeredName, string? className, out LayerRegistration registration)
    {
        if (Lookup(registeredName, className, out registration)) return true;
        // A loaded assembly whose code has not run yet has not registered its types: run its
        // registrations and look again before calling the name unknown.
        return LayerAssemblies.InitializeLoaded() && Lookup(registeredName, className, out registration);
    }

    static bool Lookup(string? registeredName, string? className, out LayerRegistration registration)
    {
        registration = null!;
        return (!string.IsNullOrEmpty(registeredName) && TryResolve(registeredName, out registration))
               || (!string.IsNullOrEmpty(className) && TryResolve(className, out registration));
    }

    /// <summary>
    /// Keras' <c>serialize_keras_object</c>: <c>{module, class_name, config, registered_name}</c>.
    /// Built-in Keras classes get <c>registered_name: null</c>, as Keras writes them.
    /// </summary>
    public static JsonObject Serialize(Layer layer)
    {
        ArgumentNullException.ThrowIfNull(layer);
        var registration = layer.Registration ?? throw NotRegistered(layer);
        return new JsonObject
        {
            ["module"] = registration.Module,
            ["class_name"] = registration.ClassName,
            ["config"] = layer.GetConfig(),
            ["registered_name"] = registration.IsKerasBuiltIn ? null : registration.RegisteredName,
        };
    }

    /// <summary>
    /// Keras' <c>deserialize_keras_object</c>: builds the object a <c>{class_name, config}</c> node
    /// describes (Keras 2 or 3 shape), resolving <c>registered_name</c> first, then <c>class_name</c>.
    /// </summary>
    public static Layer Deserialize(JsonNode? node, string path = "layer")
    {
        if (node is not JsonObject obj)
            throw new ConfigException(path, $"expected an object {{\"class_name\": ..., \"config\": {{...}}}}; received {ConfigValues.Describe(node)}.");
        var className = ConfigValues.ReadNullableString(obj["class_name"], path + ".class_name");
        var registeredName = ConfigValues.ReadNullableString(obj["registered_name"], path + ".registered_name");
        if (className is null && registeredName is null)
            throw new ConfigException(path, "expected a \"class_name\" key naming the layer's class.");
        if (className == "Lambda" && registeredName is null)
            throw new ConfigException(path, "Keras Lambda layers hold Python code, which cannot be loaded here (and would be unsafe to run): " +
                "rewrite the function as a [Layer] class and register it.");
        var registration = Resolve(registeredName, className);
        var config = obj["config"] switch
        {
            JsonObject c => c,
            null => new JsonObject(),
            var other => throw new ConfigException(path + ".config", $"expected an object; received {ConfigValues.Describe(other)}."),
        };
        try
        {
            return registration.Factory(config);
        }
        catch (ArgumentException e)
        {
            // A value of the right type that the constructor refuses (padding "full"): say which layer it was.
            var layerName = config["name"] is JsonValue n && n.TryGetValue<string>(out var text) ? $" \"{text}\"" : "";
            throw new ConfigException(path + ".config", $"{registration.ClassName}{layerName} cannot be created: {e.Message}", e);
        }
    }

    /// <summary>As <see cref="Deserialize(JsonNode?, string)"/>, checking that the result is a <typeparamref name="T"/>.</summary>
    public static T Deserialize<T>(JsonNode? node, string path = "layer") where T : Layer =>
        Deserialize(node, path) as T
        ?? throw new ConfigException(path, $"expected a {typeof(T).Name}; the config describes a different kind of layer.");

    static LayerwiseException NotRegistered(Layer layer) => new(
        $"Layer \"{layer.Name}\" of type {layer.GetType().Name} cannot be saved: it is not registered. " +
        $"Mark the class [Layer] (or [ModelConfig] for a model) and make it partial, so that its config and registration are generated.");

    /// <summary>Up to five registered names and class names within edit distance max(2, length/3) of <paramref name="requested"/>, nearest first.</summary>
    internal static List<string> NearMatches(string requested)
    {
        // Edit distance is quadratic: a 1 MB class name from a hostile file took minutes. No registered name is that long.
        if (requested.Length > MaxNameLengthForSuggestions) return [];
        List<string> names;
        lock (gate) names = [.. byRegisteredName.Keys, .. byClassName.Keys];
        var probe = requested.Contains('>') ? requested[(requested.IndexOf('>') + 1)..] : requested;
        return names.Distinct()
            .Select(n => (Name: n, Distance: Math.Min(EditDistance(requested, n), EditDistance(probe, n.Contains('>') ? n[(n.IndexOf('>') + 1)..] : n))))
            .Where(x => x.Distance <= Math.Max(2, probe.Length / 3))
            .OrderBy(x => x.Distance).ThenBy(x => x.Name, StringComparer.Ordinal)
            .Select(x => x.Name).Take(5).ToList();
    }

    const int MaxNameLengthForSuggestions = 256;

    static UnknownLayerException Unknown(string? registeredName, string? className)
    {
        var requested = !string.IsNullOrEmpty(registeredName) ? registeredName : className ?? "";
        var near = NearMatches(requested);
        var message = new StringBuilder();
        if (KerasLayerNames.IsKerasClass(className, registeredName, module: null))
        {
            // Advice to mark a class [Layer] is for the user's own classes; Keras' own are Layerwise's to implement.
            message.Append($"Keras layer '{className}' is not implemented in Layerwise.");
            if (near.Count > 0) message.Append(" Similar layers that are: ").Append(string.Join(", ", near.Select(n => $"'{n}'"))).Append('.');
            return new UnknownLayerException(requested, near, message.ToString());
        }
        message.Append($"Unknown layer: '{className ?? registeredName}'");
        if (!string.IsNullOrEmpty(registeredName) && registeredName != className) message.Append($" (registered_name '{registeredName}')");
        message.Append(". Layerwise loads only registered types: mark the class [Layer] (or [ModelConfig] for a model) and partial; " +
                       "it is then registered as \"<package>><ClassName>\" when its assembly is loaded " +
                       "(call LayerRegistry.RegisterAssemblyOf<YourLayer>() if no code of that assembly has run yet).");
        if (near.Count > 0) message.Append(" Did you mean: ").Append(string.Join(", ", near.Select(n => $"'{n}'"))).Append('?');
        return new UnknownLayerException(requested, near, message.ToString());
    }

    /// <summary>Levenshtein distance, ignoring case.</summary>
    internal static int EditDistance(string a, string b)
    {
        a = a.ToLowerInvariant();
        b = b.ToLowerInvariant();
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (int j = 0; j <= b.Length; j++) previous[j] = j;
        for (int i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (int j = 1; j <= b.Length; j++)
            {
                int cost = a[i - 1] == b[j - 1] ? 0 : 1;
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }
            (previous, current) = (current, previous);
        }
        return previous[b.Length];
    }
}
