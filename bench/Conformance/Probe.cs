using System.Text.Json.Nodes;
using Layerwise.Layers;
using Layerwise.Models;
using static TorchSharp.torch;

namespace Layerwise.Conformance;

/// <summary>How one model fared: loaded (and predicted), refused with a reason, or failed unclearly.</summary>
sealed record ProbeResult(string Status, string Detail, string Layers, string OutputCheck)
{
    public JsonObject ToJson() => new() { ["status"] = Status, ["detail"] = Detail, ["layers"] = Layers, ["output"] = OutputCheck };

    public static ProbeResult FromJson(JsonNode node) => new(
        node["status"]!.GetValue<string>(), node["detail"]!.GetValue<string>(),
        node["layers"]!.GetValue<string>(), node["output"]!.GetValue<string>());
}

/// <summary>
/// Loads one model as a user would (<c>Model.Load</c>, or <c>Model.FromJson</c> + <c>LoadWeights</c>
/// for a config/weights pair), predicts on a batch of 4 random inputs shaped as the model declares
/// (unknown dimensions set to 8), checks the outputs are finite, and compares them with Keras'
/// outputs where the case ships them.
/// </summary>
static class Probe
{
    /// <summary>A refusal is a Layerwise exception: typed, with a message that names the cause. Anything else is unclear.</summary>
    public static ProbeResult Run(Candidate candidate)
    {
        Model model;
        try
        {
            model = candidate.Kind == CandidateKind.ConfigAndWeights
                ? LoadPair(candidate.ConfigPath!, candidate.Path)
                : Model.Load(candidate.Path, compile: false);
        }
        catch (LayerwiseException e) { return new("refused", OneLine(e.Message), "", ""); }
        catch (Exception e) { return new("failed", e.GetType().FullName + ": " + OneLine(e.Message), "", ""); }

        var layers = string.Join(", ", ClassNames(model).Distinct());
        // A weight left unset by a loader holds whatever memory it got: NaN in a long-running process.
        if (model.Weights.FirstOrDefault(w => !w.Value.isfinite().all().item<bool>()) is { } unset)
            return new("failed", $"weight {unset.Path} is not finite after loading", layers, "");
        try
        {
            var expected = ExpectedOutputs.Find(candidate);
            var inputs = expected is null ? RandomInputs(model) : Reshaped(model, expected.Inputs);
            if (inputs is null) return new("loaded", "no declared input shape: not predicted", layers, "");
            var outputs = Predict(model, inputs);
            if (outputs.Any(o => !o.isfinite().all().item<bool>()))
                return new("failed", "prediction has NaN or infinite values", layers, "");
            return new("loaded", "", layers, expected is null ? "" : Compare(outputs, expected));
        }
        catch (LayerwiseException e) { return new("refused", "predict: " + OneLine(e.Message), layers, ""); }
        catch (Exception e) { return new("failed", "predict: " + e.GetType().FullName + ": " + OneLine(e.Message), layers, ""); }
    }

    static Model LoadPair(string configPath, string weightsPath)
    {
        var model = Model.FromJson(File.ReadAllText(configPath));
        model.LoadWeights(weightsPath);
        return model;
    }

    static IEnumerable<string> ClassNames(Layer layer) =>
        layer is Model m ? m.Layers.SelectMany(ClassNames).Prepend(m.ClassName) : [layer.ClassName];

    static IReadOnlyList<long[]>? InputShapes(Model model) => model switch
    {
        Functional f => [.. f.Inputs.Select(i => i.Shape)],
        Sequential s when s.InputShape is { } shape => [shape],
        _ => null,
    };

    static Tensor[]? RandomInputs(Model model)
    {
        var shapes = InputShapes(model);
        if (shapes is null) return null;
        var generator = new TorchSharp.torch.Generator(1234);
        return [.. shapes.Select(s => rand([4, .. s.Select(d => d < 0 ? 8 : d)], generator: generator))];
    }

    /// <summary>Fixture inputs are stored flat per sample for some cases (784 values for a 28x28x1 model): reshape to the model's input.</summary>
    static Tensor[] Reshaped(Model model, Tensor[] inputs)
    {
        var shapes = InputShapes(model);
        if (shapes is null || shapes.Count != inputs.Length) return inputs;
        return [.. inputs.Zip(shapes, (x, s) =>
            s.All(d => d > 0) && s.Aggregate(1L, (a, d) => a * d) == x.numel() / x.shape[0] ? x.reshape([x.shape[0], .. s]) : x)];
    }

    static Tensor[] Predict(Model model, Tensor[] inputs) => model is Functional f
        ? f.Predict([.. inputs.Select(x => x.to_type(ScalarType.Float32))])
        : [model.Predict(inputs[0].to_type(ScalarType.Float32))];

    static string Compare(Tensor[] outputs, ExpectedOutputs expected)
    {
        if (outputs.Length != expected.Outputs.Length) return $"MISMATCH: {outputs.Length} outputs, expected {expected.Outputs.Length}";
        double worst = 0;
        for (int i = 0; i < outputs.Length; i++)
        {
            var actual = outputs[i].reshape(-1);
            var reference = expected.Outputs[i].reshape(-1);
            if (actual.numel() != reference.numel()) return $"MISMATCH: output {i} has {actual.numel()} values, expected {reference.numel()}";
            var diff = (actual - reference).abs();
            var scale = actual.abs().maximum(reference.abs()).clamp_min(1.0);
            worst = Math.Max(worst, (diff / scale).max().item<float>());
        }
        return worst <= expected.Tolerance ? $"match ({worst:0.0e+0})" : $"MISMATCH ({worst:0.0e+0} > {expected.Tolerance:0e+0})";
    }

    static string OneLine(string message)
    {
        var line = message.ReplaceLineEndings(" ").Replace("|", "/");
        return line.Length > 300 ? line[..300] + "..." : line;
    }
}
