using Microsoft.CodeAnalysis;

namespace Layerwise.Analyzers;

/// <summary>
/// Every Layerwise diagnostic. Ids are constants so that analyzers, code fixes and tests name them
/// alike: <c>LW0xxx</c> structure (registration, declarations), <c>LW1xxx</c> configuration
/// (GetConfig/FromConfig), <c>LW2xxx</c> weights and tracking. Each id has a page
/// <c>docs/diagnostics/LWnnnn.md</c> and a line in <c>AnalyzerReleases.*.md</c>.
/// </summary>
internal static class DiagnosticDescriptors
{
    public const string UnregisteredTypeId = "LW0001";
    public const string UnregisteredTypeSavedId = "LW0002";
    public const string NotPartialId = "LW0003";
    public const string GenericTypeId = "LW0004";
    public const string InaccessibleTypeId = "LW0005";
    public const string NotALayerId = "LW0006";
    public const string ArgumentLostId = "LW1001";
    public const string UnserializableValueId = "LW1002";
    public const string DuplicateRegistrationId = "LW1003";
    public const string NoConfigConstructorId = "LW1004";
    public const string TrackedInPropertyId = "LW2001";
    public const string UntrackedCollectionId = "LW2002";
    public const string CreatedOutsideBuildId = "LW2003";

    /// <summary>
    /// Where the pages live; the id and <c>.md</c> are appended. Made from LayerwiseRepositoryUrl in
    /// Directory.Build.props (RepositoryInfo is written at build time): change the URL there.
    /// </summary>
    public const string HelpLinkRoot = RepositoryInfo.Url + "/blob/" + RepositoryInfo.Branch + "/docs/diagnostics/";

    /// <summary>Diagnostic property: the attribute a fix should add (<c>Layer</c> or <c>ModelConfig</c>).</summary>
    public const string AttributeProperty = "Attribute";

    /// <summary>Diagnostic property: the member name a fix should create (LW1001) or the field name (LW2001).</summary>
    public const string MemberNameProperty = "MemberName";

    const string Structure = "Layerwise.Structure";
    const string Configuration = "Layerwise.Configuration";
    const string Tracking = "Layerwise.Tracking";

    public static readonly DiagnosticDescriptor UnregisteredType = Create(
        UnregisteredTypeId, Structure, DiagnosticSeverity.Warning,
        "Layer or model type is not registered",
        "'{0}' is a concrete {1} subclass without [{2}]: it has no config and no registration, so a model holding it can be saved but not loaded (\"Unknown layer\")",
        "A concrete Layer or Model subclass without [Layer]/[ModelConfig] gets no generated GetConfig, FromConfig or registration. Saving a model that holds it writes no config for it, and loading fails with Keras' \"Unknown layer\" error, often on another machine. Add the attribute and make the class partial.");

    public static readonly DiagnosticDescriptor UnregisteredTypeSaved = Create(
        UnregisteredTypeSavedId, Structure, DiagnosticSeverity.Warning,
        "Unregistered layer is put into a model that is saved",
        "'{0}' is not registered ([{1}] missing), and the model '{2}' it is put into is saved: the saved file cannot be loaded (\"Unknown layer\")",
        "A layer whose type has no [Layer]/[ModelConfig] is added to a model that this code saves with Save(...). The file is written, but loading it fails because the type has no config and no registered name. Register the type, or keep it out of models that are saved whole (SaveWeights still works).");

    public static readonly DiagnosticDescriptor NotPartial = Create(
        NotPartialId, Structure, DiagnosticSeverity.Error,
        "Registered type must be partial",
        "'{0}' must be declared partial: the Layerwise generator adds GetConfig, FromConfig, tracked fields and the registration of '{1}' to it",
        "The generator writes the config, tracking and registration code into another part of the class (and of each containing class). Without 'partial' it writes nothing, and the type is neither saved with its config nor loadable.");

    public static readonly DiagnosticDescriptor GenericType = Create(
        GenericTypeId, Structure, DiagnosticSeverity.Error,
        "Registered type cannot be generic",
        "'{0}' {1}: a registered name must map to one concrete type, so the generator cannot write its registration",
        "A registered name (\"package>Name\") resolves to exactly one type when a file is loaded, and FromConfig must call one constructor. Generic types, and types nested in generic types, have no single such type. Register a non-generic subclass per type argument instead.");

    public static readonly DiagnosticDescriptor InaccessibleType = Create(
        InaccessibleTypeId, Structure, DiagnosticSeverity.Error,
        "Registered type is not accessible to its generated registration",
        "'{0}' is {1}: the assembly's generated registration must be able to name it, so it needs to be public or internal (and so must its containing types)",
        "The generated registration is one [ModuleInitializer] method per assembly that names each registered type, so the type must be accessible from the whole assembly. A private or protected nested type (or a nested type in one) cannot be registered. Make the type and its containing types internal or public.");

    public static readonly DiagnosticDescriptor NotALayer = Create(
        NotALayerId, Structure, DiagnosticSeverity.Error,
        "[Layer]/[ModelConfig] on a type that is not a Layer",
        "'{0}' has [{1}] but does not derive from {2}: the generator ignores it",
        "[Layer] and [ModelConfig] only apply to classes that derive from Layerwise.Layers.Layer (and, for [ModelConfig], usually Layerwise.Models.Model). On any other type the attribute does nothing.");

    public static readonly DiagnosticDescriptor ArgumentLost = Create(
        ArgumentLostId, Configuration, DiagnosticSeverity.Warning,
        "Constructor argument is lost by GetConfig",
        "Constructor parameter '{0}' of '{1}' has no property or field '{2}' of a compatible type to read it back from: the generated GetConfig leaves it out, and a loaded '{1}' gets the default instead",
        "The generated GetConfig writes every constructor argument by reading the member of the same name (case-insensitive, or the one [ConfigSource] names). When no such member exists, the argument is silently dropped from saved configs: Keras' most common custom-layer bug. Store the argument in a property.");

    public static readonly DiagnosticDescriptor UnserializableValue = Create(
        UnserializableValueId, Configuration, DiagnosticSeverity.Warning,
        "Config value type cannot be serialized",
        "Constructor parameter '{0}' of '{1}' has type '{2}', which a config cannot hold: use bool, int, long, float, double, string, an enum, a nullable, array, list or tuple of these, a Layer, or a class with [ConfigConverter]",
        "Configs are Keras JSON. The generator writes and reads bool, int, long, float, double, string, enums, Nullable<T>, one-dimensional arrays, List/IList/IReadOnlyList/IEnumerable/ICollection/IReadOnlyCollection, tuples of 2 to 4 items, layers, and classes with [ConfigConverter]. Any other parameter type is left out of GetConfig, and FromConfig cannot pass it.");

    public static readonly DiagnosticDescriptor DuplicateRegistration = Create(
        DuplicateRegistrationId, Configuration, DiagnosticSeverity.Error,
        "Two types are registered under one name",
        "'{0}' is registered as \"{1}\", as is '{2}': loading a config with that name cannot tell them apart",
        "Registered names (\"package>Name\") must be unique: a config read from a file names only that. Give one type another name with [Layer(Name = ...)] or [Layer(Package = ...)].",
        WellKnownDiagnosticTags.CompilationEnd);

    public static readonly DiagnosticDescriptor NoConfigConstructor = Create(
        NoConfigConstructorId, Configuration, DiagnosticSeverity.Error,
        "FromConfig cannot call a constructor",
        "The generated FromConfig of '{0}' cannot call {1}",
        "FromConfig recreates an object from its config by calling one constructor: the one marked [ConfigConstructor], else the public one with the most parameters. It must exist, and each of its parameters must be a config value, or optional when it is [ConfigIgnore]; none may be ref, out or in.");

    public static readonly DiagnosticDescriptor TrackedInProperty = Create(
        TrackedInPropertyId, Tracking, DiagnosticSeverity.Warning,
        "Sub-layer or weight is held in a property",
        "'{0}' holds a {1} in the auto-property '{2}': the weight tracker only sees fields, so it is left out of saved files; hold it in a field",
        "The generated tracking lists the weight and sub-layer fields of a [Layer]/[ModelConfig] type (as TorchSharp, which only registers fields). An auto-property's hidden backing field is not listed, so the weights it holds are silently missing from saved files. Keep the value in a field; a property may still return it.");

    public static readonly DiagnosticDescriptor UntrackedCollection = Create(
        UntrackedCollectionId, Tracking, DiagnosticSeverity.Warning,
        "Sub-layers or weights held where the tracker cannot see them",
        "{0} of '{1}' holds {2} where the weight tracker cannot see them ({3}): their weights are left out of saved files",
        "The tracker sees fields that hold a Variable, a Layer, or a one-dimensional array or IEnumerable<T> of layers. Layers kept in dictionaries, tuples, nested collections, collections of weights, or in locals that lambdas capture are not tracked, so their weights are silently missing from saved files. Keep them in a field of a tracked shape (Layer, Layer[], List<Layer>).");

    public static readonly DiagnosticDescriptor CreatedOutsideBuild = Create(
        CreatedOutsideBuildId, Tracking, DiagnosticSeverity.Warning,
        "Layer or weight created outside the constructor or Build",
        "{0} is created in '{1}', outside the constructor and Build: {2}",
        "Sub-layers belong in the constructor and weights in Build (or the constructor): that is where the tracker and the saved files find them, once. A layer or weight created in Call or another method is new on every call: it is trained from scratch each time and never saved.");

    static DiagnosticDescriptor Create(string id, string category, DiagnosticSeverity severity, string title, string message, string description, params string[] tags) =>
        new(id, title, message, category, severity, isEnabledByDefault: true, description: description,
            helpLinkUri: HelpLinkRoot + id + ".md", customTags: tags);
}
