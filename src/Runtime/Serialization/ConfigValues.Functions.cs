using System.Text.Json.Nodes;
using Layerwise.Layers;

namespace Layerwise.Serialization;

// The scalar readers and writers as ready-made delegates, for generated code to pass to the combinators
// (ArrayOf<int>(ConfigValues.Int32Reader)). Passing a field compiles cheaper than a method group, which the
// compiler must resolve against the delegate type at every use (bench/README.md, generator section), and
// generated code is compiled in every build of every project with [Layer] types.
public static partial class ConfigValues
{
    /// <summary><see cref="ReadBoolean"/> as a delegate.</summary>
    public static readonly Func<JsonNode?, string, bool> BooleanReader = ReadBoolean;
    /// <summary><see cref="ReadInt32"/> as a delegate.</summary>
    public static readonly Func<JsonNode?, string, int> Int32Reader = ReadInt32;
    /// <summary><see cref="ReadInt64"/> as a delegate.</summary>
    public static readonly Func<JsonNode?, string, long> Int64Reader = ReadInt64;
    /// <summary><see cref="ReadSingle"/> as a delegate.</summary>
    public static readonly Func<JsonNode?, string, float> SingleReader = ReadSingle;
    /// <summary><see cref="ReadDouble"/> as a delegate.</summary>
    public static readonly Func<JsonNode?, string, double> DoubleReader = ReadDouble;
    /// <summary><see cref="ReadString"/> as a delegate.</summary>
    public static readonly Func<JsonNode?, string, string> StringReader = ReadString;

    /// <summary><see cref="WriteBoolean"/> as a delegate.</summary>
    public static readonly Func<bool, JsonNode?> BooleanWriter = WriteBoolean;
    /// <summary><see cref="WriteInt32"/> as a delegate.</summary>
    public static readonly Func<int, JsonNode?> Int32Writer = WriteInt32;
    /// <summary><see cref="WriteInt64"/> as a delegate.</summary>
    public static readonly Func<long, JsonNode?> Int64Writer = WriteInt64;
    /// <summary><see cref="WriteSingle"/> as a delegate.</summary>
    public static readonly Func<float, JsonNode?> SingleWriter = WriteSingle;
    /// <summary><see cref="WriteDouble"/> as a delegate.</summary>
    public static readonly Func<double, JsonNode?> DoubleWriter = WriteDouble;
    /// <summary><see cref="WriteString"/> as a delegate.</summary>
    public static readonly Func<string?, JsonNode?> StringWriter = WriteString;
    /// <summary><see cref="WriteLayer"/> as a delegate.</summary>
    public static readonly Func<Layer?, JsonNode?> LayerWriter = WriteLayer;
}
