using System.Linq;

namespace Layerwise.Generators.Model;

/// <summary>
/// Everything the emitter needs to write one <c>[Layer]</c>/<c>[ModelConfig]</c> type: strings,
/// numbers and <see cref="EquatableArray{T}"/> only (no symbols, syntax or compilation), so the
/// incremental cache compares it by value.
/// </summary>
internal sealed record LayerSpec(
    string? Namespace,
    string TypeName,
    string FullyQualifiedName,
    EquatableArray<string> ContainingTypes,
    bool IsModel,
    bool IsAbstract,
    string RegisteredName,
    string ClassName,
    string Module,
    bool EmitGetConfig,
    bool EmitFromConfig,
    bool EmitRegistration,
    bool FromConfigHidesBase,
    bool EmitClassName,
    EquatableArray<ParameterSpec> Parameters,
    EquatableArray<TrackedFieldSpec> TrackedFields)
{
    /// <summary>The generated file's hint name: <c>{Namespace}.{Containing}.{Type}.g.cs</c>.</summary>
    public string HintName =>
        string.Join(".", new[] { Namespace ?? "" }.Where(s => s.Length > 0).Concat(ContainingTypes.Select(LastWord)).Concat(new[] { TypeName })) + ".g.cs";

    static string LastWord(string declaration) => declaration.Substring(declaration.LastIndexOf(' ') + 1);
}

/// <summary>The role a constructor parameter plays in the config.</summary>
internal enum ParameterRole
{
    /// <summary>An ordinary config value, written under <see cref="ParameterSpec.Key"/>.</summary>
    Value,
    /// <summary><c>name</c>: part of the base config.</summary>
    Name,
    /// <summary><c>trainable</c>: part of the base config.</summary>
    Trainable,
    /// <summary><c>dtype</c>: part of the base config.</summary>
    DType,
    /// <summary><c>inputShape</c>: written as Keras' batch shape (<c>[null, ...]</c>).</summary>
    InputShape,
    /// <summary><c>[ConfigIgnore]</c>: not written; <c>FromConfig</c> passes the default.</summary>
    Ignored,
}

/// <summary>One constructor parameter.</summary>
/// <param name="Name">The parameter name as written in C# (keywords escaped with <c>@</c>).</param>
/// <param name="Key">The config key (snake_case unless <c>[ConfigKey]</c>).</param>
/// <param name="Type">Fully qualified type, nullable annotation included.</param>
/// <param name="Value">How the value is written and read; null when the type is not supported.</param>
/// <param name="Source">The expression <c>GetConfig</c> reads (<c>this.Units</c>); null when no member matches.</param>
/// <param name="DefaultValue">The C# expression of the default value, for optional parameters.</param>
internal sealed record ParameterSpec(
    string Name,
    string Key,
    ParameterRole Role,
    string Type,
    ValueSpec? Value,
    string? Source,
    string? DefaultValue);

/// <summary>How a config value is written to and read from JSON.</summary>
internal enum ValueKind
{
    Boolean, Int32, Int64, Single, Double, String, Enum,
    NullableValue, NullableReference, Array, List, Tuple,
    Layer, Converter,
}

/// <summary>
/// A config value's shape. <paramref name="Type"/> is the fully qualified type; <paramref name="Items"/>
/// holds the element (arrays, lists, nullable) or the tuple items; <paramref name="EnumMembers"/> the
/// enum's members as "Member=keras_name"; <paramref name="Converter"/> the converter class.
/// </summary>
internal sealed record ValueSpec(
    ValueKind Kind,
    string Type,
    EquatableArray<ValueSpec> Items,
    EquatableArray<string> EnumMembers,
    string? Converter);

/// <summary>What a tracked field holds.</summary>
internal enum TrackedKind { Variable, Layer, LayerList }

/// <summary>A weight or sub-layer field: C# name, Keras name, kind.</summary>
internal sealed record TrackedFieldSpec(string FieldName, string KerasName, TrackedKind Kind);
