using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Layerwise.Fuzz;

/// <summary>
/// Structural mutations of JSON text (Keras configs): numbers made huge, negative, fractional or
/// out of range; keys dropped or repeated; values swapped for other types; deep nesting; long
/// strings and arrays. The result is text (a repeated key cannot be held in a <see cref="JsonNode"/>).
/// </summary>
internal sealed class JsonMutator(ByteMutator bytes)
{
    static readonly string[] HugeNumbers =
    [
        "2147483647", "2147483648", "-1", "-2147483648", "0", "1e8", "100000000", "9223372036854775807",
        "1e308", "-1e308", "2.5", "-0.5", "1e-320", "18446744073709551616", "65536",
    ];

    static readonly string[] OddStrings =
    [
        "", "../../../../etc/passwd", "/etc/passwd", "Lambda", "__main__>Missing", "keras.layers>Lambda",
        "\u0000", "relu\u0000tanh", "nonexistent_activation", "float64", "int8", "string", "builtins.eval",
    ];

    Random Random => bytes.Random;

    /// <summary>Mutates JSON text structurally; text that does not parse gets byte mutations instead.</summary>
    public string Mutate(string json)
    {
        JsonNode? root;
        try { root = JsonNode.Parse(json); }
        catch (JsonException) { return Encoding.UTF8.GetString(bytes.MutateAny(Encoding.UTF8.GetBytes(json))); }
        if (root is null) return json;
        int count = 1 + Random.Next(2);
        string? text = null;
        for (int i = 0; i < count; i++)
        {
            text = MutateOnce(ref root);
            if (text is not null) break;   // a text-only mutation (repeated key, deep nesting) ends the chain
        }
        return text ?? root.ToJsonString();
    }

    /// <summary>One structural mutation; returns text when it cannot be expressed as a node tree.</summary>
    string? MutateOnce(ref JsonNode root)
    {
        var nodes = new List<JsonNode>();
        Collect(root, nodes);
        var target = nodes[Random.Next(nodes.Count)];
        switch (Random.Next(10))
        {
            case 0 or 1 or 2:
                {
                    var numbers = nodes.Where(n => n is JsonValue v && v.GetValueKind() == JsonValueKind.Number).ToList();
                    if (numbers.Count == 0) goto default;
                    var n = numbers[Random.Next(numbers.Count)];
                    var value = HugeNumbers[Random.Next(HugeNumbers.Length)];
                    bytes.Log.Append($"json:{n.GetPath()}={value} ");
                    Replace(ref root, n, JsonNode.Parse(value)!);
                    return null;
                }
            case 3:
                {
                    var objects = nodes.OfType<JsonObject>().Where(o => o.Count > 0).ToList();
                    if (objects.Count == 0) goto default;
                    var o = objects[Random.Next(objects.Count)];
                    var key = o.ElementAt(Random.Next(o.Count)).Key;
                    bytes.Log.Append($"json:drop {o.GetPath()}.{key} ");
                    o.Remove(key);
                    return null;
                }
            case 4:
                {
                    // A repeated key: Keras' json.loads keeps the last; a strict reader refuses it.
                    var objects = nodes.OfType<JsonObject>().Where(o => o.Count > 0).ToList();
                    if (objects.Count == 0) goto default;
                    var o = objects[Random.Next(objects.Count)];
                    var (key, value) = o.ElementAt(Random.Next(o.Count));
                    var marker = "\"__fuzz_dup__\":0";
                    o["__fuzz_dup__"] = 0;
                    var text = root.ToJsonString();
                    bytes.Log.Append($"json:dup-key {o.GetPath()}.{key} ");
                    int at = text.IndexOf(marker, StringComparison.Ordinal);
                    return text[..at] + JsonSerializer.Serialize(key) + ":" + (value?.ToJsonString() ?? "null") + text[(at + marker.Length)..];
                }
            case 5:
                {
                    JsonNode replacement = Random.Next(6) switch
                    {
                        0 => JsonValue.Create(OddStrings[Random.Next(OddStrings.Length)])!,
                        1 => new JsonArray(),
                        2 => new JsonObject(),
                        3 => JsonValue.Create(true)!,
                        4 => JsonValue.Create(Random.Next(-3, 1_000_000))!,
                        _ => new JsonArray(JsonValue.Create(-1), JsonValue.Create(2147483647)),
                    };
                    bytes.Log.Append($"json:swap {target.GetPath()}->{replacement.ToJsonString()} ");
                    Replace(ref root, target, replacement);
                    return null;
                }
            case 6:
                {
                    bytes.Log.Append($"json:null {target.GetPath()} ");
                    Replace(ref root, target, null);
                    return null;
                }
            case 7:
                {
                    // Deep nesting: 20 to 100,000 brackets around one value.
                    int depth = Random.Next(2) == 0 ? Random.Next(20, 200) : Random.Next(1000, 100_000);
                    var marker = "\"__fuzz_deep__\"";
                    Replace(ref root, target, JsonValue.Create("__fuzz_deep__"));
                    var text = root.ToJsonString();
                    int at = text.IndexOf(marker, StringComparison.Ordinal);
                    bytes.Log.Append($"json:nest {target.GetPath()} depth {depth} ");
                    return text[..at] + new string('[', depth) + "1" + new string(']', depth) + text[(at + marker.Length)..];
                }
            case 8:
                {
                    // Long arrays and strings: a list of 10 to 200,000 entries (layer_names, shapes, layers).
                    var arrays = nodes.OfType<JsonArray>().Where(a => a.Count > 0).ToList();
                    if (arrays.Count == 0) goto default;
                    var a = arrays[Random.Next(arrays.Count)];
                    int n = Random.Next(2) == 0 ? Random.Next(2, 10) : Random.Next(1000, 200_000);
                    var first = a[0]?.ToJsonString() ?? "null";
                    // At most 48 MB of repeats (readers refuse configs over 64 MB by length alone): an entry that an
                    // earlier step made a 1 MB string, repeated 200,000 times, was more than a .NET string can hold.
                    n = Math.Min(n, Math.Max(2, (48 << 20) / (first.Length + 1)));
                    bytes.Log.Append($"json:repeat {a.GetPath()}[0] x{n} ");
                    var marker = "\"__fuzz_rep__\"";
                    a.Add(JsonValue.Create("__fuzz_rep__"));
                    var text = root.ToJsonString();
                    int at = text.IndexOf(marker, StringComparison.Ordinal);
                    return text[..at] + string.Join(",", Enumerable.Repeat(first, n)) + text[(at + marker.Length)..];
                }
            default:
                {
                    var strings = nodes.Where(n => n is JsonValue v && v.GetValueKind() == JsonValueKind.String).ToList();
                    if (strings.Count == 0) return null;
                    var s = strings[Random.Next(strings.Count)];
                    var value = Random.Next(4) == 0 ? new string('x', Random.Next(1, 1 << 20)) : OddStrings[Random.Next(OddStrings.Length)];
                    bytes.Log.Append($"json:{s.GetPath()}=\"{(value.Length > 30 ? $"x*{value.Length}" : value)}\" ");
                    Replace(ref root, s, JsonValue.Create(value));
                    return null;
                }
        }
    }

    static void Collect(JsonNode node, List<JsonNode> into)
    {
        into.Add(node);
        if (node is JsonObject o) foreach (var (_, v) in o) { if (v is not null) Collect(v, into); }
        else if (node is JsonArray a) foreach (var v in a) { if (v is not null) Collect(v, into); }
    }

    static void Replace(ref JsonNode root, JsonNode target, JsonNode? replacement)
    {
        if (ReferenceEquals(root, target))
        {
            root = replacement ?? JsonValue.Create(0)!;
            return;
        }
        switch (target.Parent)
        {
            case JsonObject o:
                o[target.GetPropertyName()] = replacement;
                break;
            case JsonArray a:
                a[target.GetElementIndex()] = replacement;
                break;
        }
    }
}
