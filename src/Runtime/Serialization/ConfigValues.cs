using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Layerwise.Layers;

namespace Layerwise.Serialization;

/// <summary>
/// Typed reads and writes of config values (used by generated code): JSON numbers, strings, booleans,
/// arrays and nested objects to .NET values and back, without reflection. Read errors are
/// <see cref="ConfigException"/>s that name the key, the expected type and the value received.
/// </summary>
public static partial class ConfigValues
{
    /// <summary>Keras' base config of every layer: <c>name</c>, <c>trainable</c>, <c>dtype</c>.</summary>
    public static JsonObject BaseConfig(Layer layer) => new()
    {
        ["name"] = layer.Name,
        ["trainable"] = layer.Trainable,
        ["dtype"] = layer.DType,
    };

    // ---- writes -------------------------------------------------------------------------------

    /// <summary>A boolean as a JSON value.</summary>
    public static JsonNode WriteBoolean(bool value) => JsonValue.Create(value);
    /// <summary>An integer as a JSON number.</summary>
    public static JsonNode WriteInt32(int value) => JsonValue.Create(value);
    /// <summary>An integer as a JSON number.</summary>
    public static JsonNode WriteInt64(long value) => JsonValue.Create(value);
    /// <summary>A float as a JSON number; NaN and infinities as strings, as Keras writes them.</summary>
    public static JsonNode WriteSingle(float value) => float.IsFinite(value) ? JsonValue.Create(value) : JsonValue.Create(value.ToString(CultureInfo.InvariantCulture));
    /// <summary>A double as a JSON number; NaN and infinities as strings, as Keras writes them.</summary>
    public static JsonNode WriteDouble(double value) => double.IsFinite(value) ? JsonValue.Create(value) : JsonValue.Create(value.ToString(CultureInfo.InvariantCulture));
    /// <summary>A string as a JSON string; null as <c>null</c> (Keras' None).</summary>
    public static JsonNode? WriteString(string? value) => value is null ? null : JsonValue.Create(value);

    /// <summary>A value written with <paramref name="write"/>, or <c>null</c> (Keras' None).</summary>
    public static JsonNode? WriteNullableValue<T>(T? value, Func<T, JsonNode?> write) where T : struct =>
        value is { } v ? write(v) : null;

    /// <summary>An object written with <paramref name="write"/>, or <c>null</c> (Keras' None).</summary>
    public static JsonNode? WriteNullableReference<T>(T? value, Func<T, JsonNode?> write) where T : class =>
        value is null ? null : write(value);

    /// <summary>A JSON array of the items written with <paramref name="write"/>; null stays null.</summary>
    public static JsonNode? WriteList<T>(IEnumerable<T>? values, Func<T, JsonNode?> write)
    {
        if (values is null) return null;
        var array = new JsonArray();
        foreach (var v in values) array.Add(write(v));
        return array;
    }

    /// <summary>
    /// A per-sample shape as Keras' batch shape: <c>[null, d1, d2, ...]</c>, an unknown size (-1) as
    /// <c>null</c> too (Keras' <c>None</c>); null stays null.
    /// </summary>
    public static JsonNode? WriteBatchShape(long[]? shape)
    {
        if (shape is null) return null;
        var array = new JsonArray { null };
        foreach (var d in shape) array.Add(Dimensions.IsKnown(d) ? (JsonNode)JsonValue.Create(d) : null);
        return array;
    }

    /// <summary>A Keras tuple as a JSON array of <paramref name="items"/>.</summary>
    public static JsonNode WriteTuple(params JsonNode?[] items) => new JsonArray(items);

    /// <summary>A nested layer as <c>{module, class_name, config, registered_name}</c>.</summary>
    public static JsonNode? WriteLayer(Layer? layer) => layer is null ? null : LayerRegistry.Serialize(layer);

    // ---- writer combinators (generated code nests these instead of lambdas: cheaper to compile) ----

    /// <summary><see cref="WriteNullableValue"/> as a function, for nesting in generated code.</summary>
    public static Func<T?, JsonNode?> NullableValueWriter<T>(Func<T, JsonNode?> write) where T : struct =>
        value => value is { } v ? write(v) : null;

    /// <summary><see cref="WriteList"/> as a function, for nesting in generated code.</summary>
    public static Func<IEnumerable<T>?, JsonNode?> ListWriter<T>(Func<T, JsonNode?> write) =>
        values => WriteList(values, write);

    /// <summary><see cref="WriteTuple"/> of typed items as a function, for nesting in generated code.</summary>
    public static Func<(T1, T2), JsonNode?> TupleWriter<T1, T2>(Func<T1, JsonNode?> write1, Func<T2, JsonNode?> write2) =>
        t => WriteTuple(write1(t.Item1), write2(t.Item2));

    /// <summary><see cref="WriteTuple"/> of typed items as a function, for nesting in generated code.</summary>
    public static Func<(T1, T2, T3), JsonNode?> TupleWriter<T1, T2, T3>(Func<T1, JsonNode?> write1, Func<T2, JsonNode?> write2, Func<T3, JsonNode?> write3) =>
        t => WriteTuple(write1(t.Item1), write2(t.Item2), write3(t.Item3));

    /// <summary><see cref="WriteTuple"/> of typed items as a function, for nesting in generated code.</summary>
    public static Func<(T1, T2, T3, T4), JsonNode?> TupleWriter<T1, T2, T3, T4>(Func<T1, JsonNode?> write1, Func<T2, JsonNode?> write2, Func<T3, JsonNode?> write3, Func<T4, JsonNode?> write4) =>
        t => WriteTuple(write1(t.Item1), write2(t.Item2), write3(t.Item3), write4(t.Item4));

    // ---- reader combinators ---------------------------------------------------------------------

    /// <summary><see cref="ReadNullableValue"/> as a function, for nesting in generated code.</summary>
    public static Func<JsonNode?, string, T?> NullableValue<T>(Func<JsonNode?, string, T> read) where T : struct =>
        (node, path) => ReadNullableValue(node, path, read);

    /// <summary><see cref="ReadNullableReference"/> as a function, for nesting in generated code.</summary>
    public static Func<JsonNode?, string, T?> NullableReference<T>(Func<JsonNode?, string, T> read) where T : class =>
        (node, path) => ReadNullableReference(node, path, read);

    /// <summary><see cref="ReadArray"/> as a function, for nesting in generated code.</summary>
    public static Func<JsonNode?, string, T[]> ArrayOf<T>(Func<JsonNode?, string, T> read) =>
        (node, path) => ReadArray(node, path, read);

    /// <summary><see cref="ReadList"/> as a function, for nesting in generated code.</summary>
    public static Func<JsonNode?, string, List<T>> ListOf<T>(Func<JsonNode?, string, T> read) =>
        (node, path) => ReadList(node, path, read);

    /// <summary>
    /// <see cref="O:Layerwise.Serialization.ConfigValues.ReadTuple"/> as a function, for nesting in generated code.
    /// </summary>
    public static Func<JsonNode?, string, (T1, T2)> TupleOf<T1, T2>(Func<JsonNode?, string, T1> read1, Func<JsonNode?, string, T2> read2) =>
        (node, path) => ReadTuple(node, path, read1, read2);

    /// <summary>
    /// <see cref="O:Layerwise.Serialization.ConfigValues.ReadTuple"/> as a function, for nesting in generated code.
    /// </summary>
    public static Func<JsonNode?, string, (T1, T2, T3)> TupleOf<T1, T2, T3>(Func<JsonNode?, string, T1> read1, Func<JsonNode?, string, T2> read2, Func<JsonNode?, string, T3> read3) =>
        (node, path) => ReadTuple(node, path, read1, read2, read3);

    /// <summary>
    /// <see cref="O:Layerwise.Serialization.ConfigValues.ReadTuple"/> as a function, for nesting in generated code.
    /// </summary>
    public static Func<JsonNode?, string, (T1, T2, T3, T4)> TupleOf<T1, T2, T3, T4>(Func<JsonNode?, string, T1> read1, Func<JsonNode?, string, T2> read2, Func<JsonNode?, string, T3> read3, Func<JsonNode?, string, T4> read4) =>
        (node, path) => ReadTuple(node, path, read1, read2, read3, read4);

    // ---- reads --------------------------------------------------------------------------------

    /// <summary>A short description of a received value for error messages.</summary>
    public static string Describe(JsonNode? node)
    {
        if (node is null) return "null";
        var text = node.ToJsonString();
        return text.Length > 60 ? text[..57] + "..." : text;
    }

    static ConfigException Expected(string path, string expected, JsonNode? node) =>
        new(path, $"expected {expected}; received {Describe(node)}.");

    /// <summary>Reads a boolean at <paramref name="path"/> of a config (<c>true</c>/<c>false</c>).</summary>
    /// <param name="node">The JSON value.</param>
    /// <param name="path">Where it is, for the error message (e.g. <c>Dense.config.units</c>).</param>
    /// <exception cref="ConfigException">The value is missing or not a boolean.</exception>
    public static bool ReadBoolean(JsonNode? node, string path)
    {
        if (node is JsonValue v)
        {
            if (v.TryGetValue<bool>(out var b)) return b;
            if (v.TryGetValue<JsonElement>(out var e) && e.ValueKind is JsonValueKind.True or JsonValueKind.False) return e.GetBoolean();
        }
        throw Expected(path, "a boolean (true/false)", node);
    }

    /// <summary>
    /// Reads a 32-bit integer at <paramref name="path"/> of a config (a JSON number without fraction).
    /// </summary>
    /// <param name="node">The JSON value.</param>
    /// <param name="path">Where it is, for the error message (e.g. <c>Dense.config.units</c>).</param>
    /// <exception cref="ConfigException">The value is missing or not a 32-bit integer.</exception>
    public static int ReadInt32(JsonNode? node, string path) =>
        TryReadInt64(node, out var l) && l is >= int.MinValue and <= int.MaxValue ? (int)l : throw Expected(path, "an integer (int)", node);

    /// <summary>
    /// Reads a 64-bit integer at <paramref name="path"/> of a config (a JSON number without fraction).
    /// </summary>
    /// <param name="node">The JSON value.</param>
    /// <param name="path">Where it is, for the error message (e.g. <c>Dense.config.units</c>).</param>
    /// <exception cref="ConfigException">The value is missing or not a 64-bit integer.</exception>
    public static long ReadInt64(JsonNode? node, string path) =>
        TryReadInt64(node, out var l) ? l : throw Expected(path, "an integer (long)", node);

    /// <summary>
    /// Reads a float at <paramref name="path"/> of a config (a number, or <c>"nan"</c>/<c>"inf"</c> as Keras writes
    /// them).
    /// </summary>
    /// <param name="node">The JSON value.</param>
    /// <param name="path">Where it is, for the error message (e.g. <c>Dense.config.units</c>).</param>
    /// <exception cref="ConfigException">The value is missing or not a float.</exception>
    public static float ReadSingle(JsonNode? node, string path) =>
        TryReadDouble(node, out var d) ? (float)d : throw Expected(path, "a number (float)", node);

    /// <summary>
    /// Reads a double at <paramref name="path"/> of a config (a number, or <c>"nan"</c>/<c>"inf"</c> as Keras writes
    /// them).
    /// </summary>
    /// <param name="node">The JSON value.</param>
    /// <param name="path">Where it is, for the error message (e.g. <c>Dense.config.units</c>).</param>
    /// <exception cref="ConfigException">The value is missing or not a double.</exception>
    public static double ReadDouble(JsonNode? node, string path) =>
        TryReadDouble(node, out var d) ? d : throw Expected(path, "a number (double)", node);

    /// <summary>Reads a string at <paramref name="path"/> of a config (a JSON string).</summary>
    /// <param name="node">The JSON value.</param>
    /// <param name="path">Where it is, for the error message (e.g. <c>Dense.config.units</c>).</param>
    /// <exception cref="ConfigException">The value is missing or not a string.</exception>
    public static string ReadString(JsonNode? node, string path) =>
        ReadNullableString(node, path) ?? throw Expected(path, "a string", node);

    /// <summary>Reads a string that may be <c>null</c> (Keras' None).</summary>
    /// <param name="node">The JSON value.</param>
    /// <param name="path">Where it is, for the error message.</param>
    /// <exception cref="ConfigException">The value is neither a string nor null.</exception>
    public static string? ReadNullableString(JsonNode? node, string path)
    {
        if (node is null) return null;
        if (node is JsonValue v)
        {
            if (v.TryGetValue<string>(out var s)) return s;
            if (v.TryGetValue<JsonElement>(out var e) && e.ValueKind == JsonValueKind.String) return e.GetString();
        }
        throw Expected(path, "a string", node);
    }

    /// <summary>Reads a value that may be <c>null</c> (Keras' None) with <paramref name="read"/>.</summary>
    public static T? ReadNullableValue<T>(JsonNode? node, string path, Func<JsonNode?, string, T> read) where T : struct =>
        node is null ? null : read(node, path);

    /// <summary>Reads an object that may be <c>null</c> (Keras' None) with <paramref name="read"/>.</summary>
    public static T? ReadNullableReference<T>(JsonNode? node, string path, Func<JsonNode?, string, T> read) where T : class =>
        node is null ? null : read(node, path);

    /// <summary>
    /// Reads a JSON array item by item with <paramref name="read"/>; a bare number reads as a one-item list, as Keras
    /// writes sizes.
    /// </summary>
    public static List<T> ReadList<T>(JsonNode? node, string path, Func<JsonNode?, string, T> read)
    {
        // Keras writes a one-element shape or size as a bare number in places; accept it as a list.
        if (node is JsonValue && TryReadDouble(node, out _)) return [read(node, path)];
        if (node is not JsonArray array) throw Expected(path, "a list", node);
        var list = new List<T>(array.Count);
        for (int i = 0; i < array.Count; i++) list.Add(read(array[i], $"{path}[{i}]"));
        return list;
    }

    /// <summary>Reads a JSON array as an array, as <see cref="ReadList"/>.</summary>
    public static T[] ReadArray<T>(JsonNode? node, string path, Func<JsonNode?, string, T> read) => [.. ReadList(node, path, read)];

    /// <summary>The items of a fixed-length list (a tuple such as a kernel size).</summary>
    static JsonArray TupleItems(JsonNode? node, string path, int arity)
    {
        if (node is JsonArray array && array.Count == arity) return array;
        throw Expected(path, $"a list of {arity} values", node);
    }

    /// <summary>Reads a fixed-length JSON array (a Keras tuple) item by item.</summary>
    public static (T1, T2) ReadTuple<T1, T2>(JsonNode? node, string path,
        Func<JsonNode?, string, T1> read1, Func<JsonNode?, string, T2> read2)
    {
        var a = TupleItems(node, path, 2);
        return (read1(a[0], path + "[0]"), read2(a[1], path + "[1]"));
    }

    /// <summary>Reads a fixed-length JSON array (a Keras tuple) item by item.</summary>
    public static (T1, T2, T3) ReadTuple<T1, T2, T3>(JsonNode? node, string path,
        Func<JsonNode?, string, T1> read1, Func<JsonNode?, string, T2> read2, Func<JsonNode?, string, T3> read3)
    {
        var a = TupleItems(node, path, 3);
        return (read1(a[0], path + "[0]"), read2(a[1], path + "[1]"), read3(a[2], path + "[2]"));
    }

    /// <summary>Reads a fixed-length JSON array (a Keras tuple) item by item.</summary>
    public static (T1, T2, T3, T4) ReadTuple<T1, T2, T3, T4>(JsonNode? node, string path,
        Func<JsonNode?, string, T1> read1, Func<JsonNode?, string, T2> read2, Func<JsonNode?, string, T3> read3, Func<JsonNode?, string, T4> read4)
    {
        var a = TupleItems(node, path, 4);
        return (read1(a[0], path + "[0]"), read2(a[1], path + "[1]"), read3(a[2], path + "[2]"), read4(a[3], path + "[3]"));
    }

    /// <summary>A shape: a list of integers or nulls.</summary>
    public static long?[] ReadShape(JsonNode? node, string path) =>
        ReadArray(node, path, static (n, p) => n is null ? (long?)null : ReadInt64(n, p));

    /// <summary>A nested layer written as <c>{class_name, config}</c>, resolved through <see cref="LayerRegistry"/>.</summary>
    public static T ReadLayer<T>(JsonNode? node, string path) where T : Layer => LayerRegistry.Deserialize<T>(node, path);

    static bool TryReadInt64(JsonNode? node, out long value)
    {
        value = 0;
        if (node is not JsonValue v) return false;
        if (v.TryGetValue<int>(out var i)) { value = i; return true; }
        if (v.TryGetValue<long>(out value)) return true;
        if (v.TryGetValue<JsonElement>(out var e) && e.ValueKind == JsonValueKind.Number)
        {
            if (e.TryGetInt64(out value)) return true;
            if (e.TryGetDouble(out var d) && IsIntegral(d)) { value = (long)d; return true; }
            return false;
        }
        if (TryReadDouble(node, out var number) && IsIntegral(number)) { value = (long)number; return true; }
        return false;
    }

    static bool IsIntegral(double d) => Math.Floor(d) == d && d is >= long.MinValue and <= long.MaxValue;

    static bool TryReadDouble(JsonNode? node, out double value)
    {
        value = 0;
        if (node is not JsonValue v) return false;
        if (v.TryGetValue(out value)) return true;
        if (v.TryGetValue<float>(out var f)) { value = f; return true; }
        if (v.TryGetValue<int>(out var i)) { value = i; return true; }
        if (v.TryGetValue<long>(out var l)) { value = l; return true; }
        if (v.TryGetValue<JsonElement>(out var e))
        {
            if (e.ValueKind == JsonValueKind.Number) return e.TryGetDouble(out value);
            // Non-finite numbers are written as strings ("NaN", "Infinity") since JSON has none.
            if (e.ValueKind == JsonValueKind.String) return TryParseNonFinite(e.GetString(), out value);
        }
        if (v.TryGetValue<string>(out var s)) return TryParseNonFinite(s, out value);
        return false;
    }

    static bool TryParseNonFinite(string? s, out double value)
    {
        value = s switch { "NaN" => double.NaN, "Infinity" => double.PositiveInfinity, "-Infinity" => double.NegativeInfinity, _ => 0 };
        return s is "NaN" or "Infinity" or "-Infinity";
    }
}
