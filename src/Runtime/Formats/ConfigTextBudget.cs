using System.Text.Json;

namespace Layerwise.Formats;

/// <summary>
/// One pass over a model config's UTF-8 text with <see cref="Utf8JsonReader"/> (no allocation per value),
/// before any <c>JsonNode</c> tree is built from it: .NET's tree costs 10-20 times the text (a 15 MB config
/// repeating one entry 100,000 times took +300 to +660 MB), so a config is measured against
/// <see cref="LoadLimits.MaxConfigDepth"/>, <see cref="LoadLimits.MaxConfigValues"/> and
/// <see cref="LoadLimits.MaxLayers"/> while it is still text. Layers are counted as
/// <c>KerasModelConfig</c> counts them: the entries of every <c>layers</c> list (and of a Keras 1
/// Sequential's bare <c>config</c> list) and every layer nested under <c>layer</c>, <c>forward_layer</c>,
/// <c>backward_layer</c> or <c>cell</c>. Malformed JSON is left to the parser that follows (same
/// <see cref="JsonException"/>).
/// </summary>
internal static class ConfigTextBudget
{
    /// <summary>
    /// The longest string value a config may hold, in UTF-8 bytes: Keras writes names, activations and dtypes
    /// (a few dozen bytes). 78 layers each holding a 640 KB string (50 MB of config) took +300 MB once parsed.
    /// </summary>
    public const int MaxStringBytes = 64 << 10;

    /// <summary>Keys under which Keras nests one layer in another's config (wrappers, RNN cells).</summary>
    static readonly string[] NestedLayerKeys = ["layer", "backward_layer", "forward_layer", "cell"];

    /// <summary>How a config within budget is then parsed: at most <see cref="LoadLimits.MaxConfigDepth"/> deep, a repeated key refused.</summary>
    public static JsonDocumentOptions ParseOptions => new() { MaxDepth = LoadLimits.MaxConfigDepth, AllowDuplicateProperties = false };

    /// <summary>
    /// Why the config text exceeds a budget (what was exceeded, at which byte, and which <see cref="LoadLimits"/>
    /// setting to raise), or null when it is within all of them.
    /// </summary>
    /// <exception cref="JsonException">The text is not JSON (reported by the caller as such).</exception>
    public static string? Problem(ReadOnlySpan<byte> utf8)
    {
        int maxDepth = LoadLimits.MaxConfigDepth, maxLayers = LoadLimits.MaxLayers;
        long maxValues = LoadLimits.MaxConfigValues;
        // The reader's own limit is one deeper than ours, so that ours is reached first and explained.
        var reader = new Utf8JsonReader(utf8, new JsonReaderOptions { MaxDepth = maxDepth + 1 });
        // Per open container depth: whether it is a list of layers (only arrays are marked).
        var layerLists = new System.Collections.BitArray(maxDepth + 2);
        long values = 0;
        int layers = 0;
        bool nextIsLayerList = false, nextIsNestedLayer = false;
        while (reader.Read())
        {
            var token = reader.TokenType;
            if (token is JsonTokenType.EndObject or JsonTokenType.EndArray or JsonTokenType.Comment) continue;
            if (token == JsonTokenType.PropertyName)
            {
                nextIsLayerList = reader.ValueTextEquals("layers"u8) || reader.ValueTextEquals("config"u8);
                nextIsNestedLayer = false;
                foreach (var key in NestedLayerKeys)
                    if (reader.ValueTextEquals(key)) nextIsNestedLayer = true;
                continue;
            }
            // A value: a scalar, or the start of an object or array.
            if (++values > maxValues)
                return $"the config holds more than LoadLimits.MaxConfigValues = {maxValues} JSON values (at byte {reader.TokenStartIndex} of {utf8.Length}); " +
                       "expected a config of at most that many (the largest Keras applications have about 100,000); raise it to load a larger model.";
            if (token == JsonTokenType.String && (reader.HasValueSequence ? reader.ValueSequence.Length : reader.ValueSpan.Length) > MaxStringBytes)
                return $"the config holds a string of more than {MaxStringBytes} bytes (at byte {reader.TokenStartIndex}); expected names and settings (Keras writes a few dozen bytes).";
            int depth = reader.CurrentDepth;   // of this value's container; 0 for the root
            if (depth > 0 && layerLists[depth - 1] && ++layers > maxLayers)
                return LayersProblem(maxLayers, reader.TokenStartIndex, utf8.Length);
            if (token == JsonTokenType.StartObject && nextIsNestedLayer && ++layers > maxLayers)
                return LayersProblem(maxLayers, reader.TokenStartIndex, utf8.Length);
            if (token is JsonTokenType.StartObject or JsonTokenType.StartArray)
            {
                if (depth + 1 > maxDepth)
                    return $"the config nests more than LoadLimits.MaxConfigDepth = {maxDepth} objects and lists deep (at byte {reader.TokenStartIndex}); " +
                           "expected a Keras config (they nest about a dozen deep).";
                layerLists[depth] = token == JsonTokenType.StartArray && nextIsLayerList;
            }
            nextIsLayerList = nextIsNestedLayer = false;
        }
        return null;
    }

    static string LayersProblem(int maxLayers, long at, int length) =>
        $"the config describes more than LoadLimits.MaxLayers = {maxLayers} layers (at byte {at} of {length}); raise it to load a larger model.";
}
