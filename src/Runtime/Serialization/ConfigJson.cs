using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Layerwise.Serialization;

/// <summary>
/// Config text as Keras writes it: UTF-8 with <c>&gt;</c>, <c>&lt;</c>, <c>&amp;</c> and non-ASCII
/// letters kept literal (System.Text.Json escapes them by default, so <c>"MyApp&gt;Layer"</c> would be
/// written as <c>"MyApp\u003ELayer"</c>; equal once parsed, but not what Keras or a reader expects).
/// </summary>
public static class ConfigJson
{
    static readonly JsonSerializerOptions Compact = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    static readonly JsonSerializerOptions Indented = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, WriteIndented = true };

    /// <summary>The node as JSON text.</summary>
    public static string ToText(JsonNode node, bool indented = false) => node.ToJsonString(indented ? Indented : Compact);

    /// <summary>
    /// Parses config text; a <see cref="ConfigException"/> when it is not JSON or exceeds the budgets of
    /// <see cref="LoadLimits"/> (values, depth, layers: measured in the text, before any tree is built).
    /// </summary>
    public static JsonNode Parse(string text, string source = "config")
    {
        try
        {
            var utf8 = System.Text.Encoding.UTF8.GetBytes(text);
            if (Formats.ConfigTextBudget.Problem(utf8) is { } problem)
                throw new ConfigException(source, problem);
            return JsonNode.Parse(utf8, documentOptions: Formats.ConfigTextBudget.ParseOptions)
                   ?? throw new ConfigException(source, "expected a JSON object; received null.");
        }
        catch (JsonException e)
        {
            throw new ConfigException(source, $"not valid JSON ({e.Message}).");
        }
    }
}
