using System.Reflection;
using Layerwise.Formats;
using Layerwise.Layers;
using Layerwise.Models;
using static TorchSharp.torch;

namespace Layerwise.Export.Onnx;

/// <summary>
/// Writes a built <see cref="Sequential"/> or <see cref="Functional"/> model (nested ones included) as
/// an ONNX model (opset 17, IR version 8) computing what <c>Predict</c> computes: float32 inputs named
/// as the model's inputs, outputs named after the output layers, the batch axis and every unknown
/// (-1) size dynamic. Every layer is checked first; those without an ONNX form are refused together.
/// </summary>
internal static class OnnxExporter
{
    public const long Opset = 17;
    const long IrVersion = 8;   // the IR version that introduced opset 17
    const string BatchAxis = "batch";

    public static void Export(Model model, string path)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var inputShapes = InputShapes(model);
        var refused = new List<(string Layer, string Text)>();
        CollectRefusals(model, refused, []);
        if (refused.Count > 0)
            throw new OnnxExportException(
                $"Model \"{model.Name}\" cannot be exported to ONNX: {refused.Count} layer(s) have no ONNX form: {string.Join("; ", refused.Select(r => r.Text))}. " +
                "Supported: Dense, Conv1D, Conv2D, pooling, global pooling, BatchNormalization, LayerNormalization, activations, Dropout, " +
                "Flatten, Reshape, Permute, merges, Embedding, SimpleRNN, LSTM, GRU, and Sequential/Functional models of them.",
                [.. refused.Select(r => r.Layer)]);

        var graph = new OnnxGraphBuilder();
        var inputNames = InputNames(model);
        var outputNames = OutputNames(model);
        foreach (var name in inputNames.Concat(outputNames))
            if (!graph.Reserve(name))
                throw new OnnxExportException($"Model \"{model.Name}\" cannot be exported to ONNX: the name \"{name}\" is used by two of its inputs or outputs.", []);

        string[] results;
        using (no_grad())
            results = Convert(graph, model, [.. inputNames], [.. inputShapes]);
        for (int i = 0; i < results.Length; i++)
            graph.NodeWithOutputs("Identity", outputNames[i], [results[i]], [outputNames[i]]);

        var outputShapes = OutputShapes(model, inputShapes);
        var onnxGraph = OnnxMessages.Graph(model.Name, graph.Nodes, graph.Initializers,
            inputNames.Select((n, i) => ValueInfo(n, inputShapes[i])),
            outputNames.Select((n, i) => ValueInfo(n, outputShapes[i])));
        var version = typeof(OnnxExporter).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "";
        var bytes = OnnxMessages.Model(onnxGraph, IrVersion, Opset, "Layerwise", version).ToArray();
        AtomicFile.Write(path, temporary => File.WriteAllBytes(temporary, bytes));
    }

    /// <summary>Every layer (nested models walked through) without an ONNX form, as <c>"name" (Class): reason</c>.</summary>
    static void CollectRefusals(Layer layer, List<(string Layer, string Text)> refused, HashSet<Layer> seen)
    {
        if (!seen.Add(layer)) return;
        if (layer is Sequential or Functional)
        {
            foreach (var inner in ((Model)layer).Layers) CollectRefusals(inner, refused, seen);
            return;
        }
        var reason = layer is Model
            ? "a subclassed model's Call is C# code, not a graph of layers"
            : OnnxLayerConverter.Refusal(layer);
        if (reason is not null) refused.Add((layer.Name, $"\"{layer.Name}\" ({layer.ClassName}): {reason}"));
    }

    /// <summary>The nodes of <paramref name="layer"/> (a model is inlined); one value name per output.</summary>
    static string[] Convert(OnnxGraphBuilder graph, Layer layer, string[] inputs, long[][] shapes)
    {
        switch (layer)
        {
            case Sequential sequential:
            {
                string value = inputs[0];
                long[] shape = shapes[0];
                foreach (var inner in sequential.Layers)
                {
                    value = Convert(graph, inner, [value], [shape])[0];
                    shape = inner.ComputeOutputShape(shape);
                }
                return [value];
            }
            case Functional functional:
            {
                var values = new Dictionary<KerasTensor, string>(ReferenceEqualityComparer.Instance);
                for (int i = 0; i < functional.Inputs.Count; i++) values[functional.Inputs[i]] = inputs[i];
                foreach (var node in functional.Graph.ExecutionOrder)
                {
                    if (node.IsInput) continue;
                    var arguments = node.Inputs.Select(t => values[t]).ToArray();
                    values[node.Output] = Convert(graph, node.Layer, arguments, [.. node.Inputs.Select(t => t.Shape)])[0];
                }
                return [.. functional.Outputs.Select(o => values[o])];
            }
            default:
                return [OnnxLayerConverter.Convert(graph, layer, inputs, shapes)];
        }
    }

    static long[][] InputShapes(Model model) => model switch
    {
        Functional functional => [.. functional.Inputs.Select(i => i.Shape)],
        Sequential sequential => [sequential.InputShape ?? throw new LayerwiseException(
            $"Model \"{model.Name}\" cannot be exported to ONNX before it is built: give its first layer an inputShape, " +
            "start it with an InputLayer, or call it on data first, so the input shape is known.")],
        _ => throw new OnnxExportException(
            $"Model \"{model.Name}\" ({model.ClassName}) cannot be exported to ONNX: only Sequential and Functional models are graphs of layers; " +
            "a subclassed model's Call is C# code.", [model.Name]),
    };

    static string[] InputNames(Model model) =>
        model is Functional functional ? [.. functional.Inputs.Select(i => i.Name)] : ["input"];

    static string[] OutputNames(Model model) =>
        model is Functional functional ? [.. functional.Outputs.Select(o => o.Name)] : [model.Layers[^1].Name];

    static long[][] OutputShapes(Model model, long[][] inputShapes) =>
        model is Functional functional ? [.. functional.Outputs.Select(o => o.Shape)] : [model.ComputeOutputShape(inputShapes[0])];

    /// <summary>A float32 value whose batch axis and unknown (-1) sizes are named dynamic axes.</summary>
    static ProtoMessage ValueInfo(string name, long[] sampleShape) =>
        OnnxMessages.ValueInfo(name, OnnxMessages.Float32,
            [(null, BatchAxis), .. sampleShape.Select((d, i) => Dimensions.IsKnown(d) ? ((long?)d, (string?)null) : (null, $"{name}_dim{i + 1}"))]);
}
