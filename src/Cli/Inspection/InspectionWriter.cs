using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Layerwise.Cli.Inspection;

/// <summary>Renders a <see cref="FileInspection"/> as text for people or as JSON for scripts.</summary>
internal static class InspectionWriter
{
    public static void WriteText(FileInspection inspection, TextWriter output, bool showConfig)
    {
        output.WriteLine($"File:       {inspection.Path}");
        output.WriteLine($"Format:     {inspection.Format}");
        output.WriteLine($"Written by: {(inspection.Writer.Count == 0 ? "(not recorded)" : string.Join(", ", inspection.Writer.Select(kv => $"{kv.Key}={kv.Value}")))}");
        if (inspection.ModelClass is not null)
            output.WriteLine($"Model:      {inspection.ModelClass}{(inspection.ModelName is null ? "" : $" \"{inspection.ModelName}\"")}");
        if (inspection.Layers.Count > 0)
        {
            output.WriteLine($"Layers ({inspection.Layers.Count}):");
            int width = inspection.Layers.Max(l => l.Name.Length);
            foreach (var layer in inspection.Layers) output.WriteLine($"  {layer.Name.PadRight(width)}  {layer.ClassName}");
        }
        WriteArrays("Weights", inspection.Weights, output);
        if (inspection.Optimizer is not null || inspection.OptimizerWeights.Count > 0)
        {
            output.WriteLine($"Optimizer:  {inspection.Optimizer ?? "(class not recorded)"}");
            WriteArrays("Optimizer state", inspection.OptimizerWeights, output);
        }
        if (inspection.OtherState.Count > 0) WriteArrays("Other state", inspection.OtherState, output);
        output.WriteLine($"Checksums:  {inspection.Checksums}");
        if (showConfig && inspection.Config is not null)
        {
            output.WriteLine("Config:");
            output.WriteLine(inspection.Config.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        }
    }

    static void WriteArrays(string title, List<StoredArray> arrays, TextWriter output)
    {
        long total = arrays.Sum(a => a.Elements);
        output.WriteLine($"{title} ({arrays.Count} arrays, {total.ToString("N0", CultureInfo.InvariantCulture)} values):");
        if (arrays.Count == 0) return;
        int nameWidth = arrays.Max(a => a.Name.Length);
        int typeWidth = arrays.Max(a => a.DType.Length);
        foreach (var a in arrays) output.WriteLine($"  {a.Name.PadRight(nameWidth)}  {a.DType.PadRight(typeWidth)}  {Shape(a.Shape)}");
    }

    /// <summary>Keras' shape text: <c>(784, 128)</c>, <c>(10,)</c>, <c>()</c>.</summary>
    public static string Shape(long[] shape) => shape.Length == 1 ? $"({shape[0]},)" : "(" + string.Join(", ", shape) + ")";

    public static void WriteJson(FileInspection inspection, TextWriter output)
    {
        static JsonArray Arrays(List<StoredArray> arrays) =>
            [.. arrays.Select(a => (JsonNode)new JsonObject { ["name"] = a.Name, ["dtype"] = a.DType, ["shape"] = new JsonArray([.. a.Shape.Select(d => (JsonNode)d)]) })];
        var json = new JsonObject
        {
            ["path"] = inspection.Path,
            ["format"] = inspection.Format,
            ["writer"] = new JsonObject([.. inspection.Writer.Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)kv.Value))]),
            ["model_class"] = inspection.ModelClass,
            ["model_name"] = inspection.ModelName,
            ["layers"] = new JsonArray([.. inspection.Layers.Select(l => (JsonNode)new JsonObject { ["name"] = l.Name, ["class_name"] = l.ClassName })]),
            ["weights"] = Arrays(inspection.Weights),
            ["optimizer"] = inspection.Optimizer,
            ["optimizer_weights"] = Arrays(inspection.OptimizerWeights),
            ["other_state"] = Arrays(inspection.OtherState),
            ["checksums"] = inspection.Checksums,
            ["config"] = inspection.Config?.DeepClone(),
            ["training_config"] = inspection.TrainingConfig?.DeepClone(),
        };
        output.WriteLine(json.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
    }
}
