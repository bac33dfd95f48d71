using System.Text.Json.Nodes;
using Layerwise.Formats.Hdf5;
using static TorchSharp.torch;

namespace Layerwise.Conformance;

/// <summary>
/// Inputs and the outputs Keras (or TensorFlow.js and numpy) computed for them, where a case ships
/// them: DL4J's <c>X_inputs_and_outputs.h5</c> beside <c>X_model.h5</c>, and the fixtures' raw
/// <c>inputs*.f32/.i32</c> + <c>expected.f32</c> files. None of them comes from Layerwise.
/// </summary>
sealed record ExpectedOutputs(Tensor[] Inputs, Tensor[] Outputs, double Tolerance, string Origin)
{
    public static ExpectedOutputs? Find(Candidate candidate) =>
        FromDl4jCase(candidate) ?? FromFixtureFolder(candidate) ?? FromKerasH5Fixture(candidate);

    /// <summary>DL4J: root attributes <c>inputs</c>/<c>outputs</c> name the datasets under <c>inputs/</c> and <c>predictions/</c>.</summary>
    static ExpectedOutputs? FromDl4jCase(Candidate candidate)
    {
        var dir = Path.GetDirectoryName(candidate.Path)!;
        var stem = Path.GetFileNameWithoutExtension(candidate.Path);
        foreach (var suffix in new[] { "_model", "_weights" })
            if (stem.EndsWith(suffix, StringComparison.Ordinal)) stem = stem[..^suffix.Length];
        var dataPath = Path.Combine(dir, stem + "_inputs_and_outputs.h5");
        if (!File.Exists(dataPath)) return null;
        using var h5 = Hdf5Input.Open(dataPath, dataPath);
        var inputNames = JsonNode.Parse(h5.ReadString(h5.Root, "inputs"))!["inputs"]!.AsArray().Select(n => n!.GetValue<string>());
        var outputNames = JsonNode.Parse(h5.ReadString(h5.Root, "outputs"))!["outputs"]!.AsArray().Select(n => n!.GetValue<string>());
        Tensor Read(string group, string name)
        {
            var g = h5.Group(h5.Root, group);
            var (dataset, shape) = h5.FloatDataset(g, name);
            return h5.ReadFloats(dataset, shape, group + "/" + name);
        }
        if (!h5.HasLink(h5.Root, "predictions")) return null;
        var predictions = h5.Group(h5.Root, "predictions");
        // "outputs" in these files are training targets; the reference is predictions/<name>, one per model output.
        var outputs = outputNames.Where(n => h5.HasLink(predictions, n)).Select(n => Read("predictions", n)).ToArray();
        if (outputs.Length == 0) return null;
        return new([.. inputNames.Select(n => Read("inputs", n))], outputs, 1e-5, "DL4J inputs_and_outputs.h5 (Keras' predict)");
    }

    /// <summary>../shared/fixtures/keras3 and savedmodel: <c>inputs.json</c> + raw inputs + <c>expected.f32</c>.</summary>
    static ExpectedOutputs? FromFixtureFolder(Candidate candidate)
    {
        var dir = candidate.Kind == CandidateKind.SavedModel ? candidate.Path : Path.GetDirectoryName(candidate.Path)!;
        var spec = Path.Combine(dir, "inputs.json");
        var expected = Path.Combine(dir, "expected.f32");
        if (!File.Exists(spec) || !File.Exists(expected)) return null;
        var json = JsonNode.Parse(File.ReadAllText(spec))!;
        var inputs = json["inputs"] is JsonArray list
            ? list.Select(i => Raw(Path.Combine(dir, i!["file"]!.GetValue<string>()), Shape(i["shape"]!), i["dtype"]!.GetValue<string>())).ToArray()
            : [Raw(Path.Combine(dir, "inputs.f32"), Shape(json["shape"]!), json["dtype"]?.GetValue<string>() ?? "float32")];
        var values = Raw(expected, [-1], "float32");
        return new(inputs, [values], 1e-4, "fixture expected.f32 (TensorFlow.js and numpy)");
    }

    /// <summary>../shared/fixtures/keras-h5: <c>NAME.expected.rand8_784.f32</c> on <c>inputs/rand8_784.f32</c>, reshaped to the model's input.</summary>
    static ExpectedOutputs? FromKerasH5Fixture(Candidate candidate)
    {
        var stem = Path.ChangeExtension(candidate.Path, null);
        var expected = stem + ".expected.rand8_784.f32";
        var input = Path.Combine(Path.GetDirectoryName(candidate.Path)!, "..", "inputs", "rand8_784.f32");
        if (!File.Exists(expected) || !File.Exists(input)) return null;
        return new([Raw(input, [8, 784], "float32")], [Raw(expected, [-1], "float32")], 1e-4, "fixture expected.rand8_784.f32; input reshaped to the model's");
    }

    static long[] Shape(JsonNode node) => [.. node.AsArray().Select(d => d!.GetValue<long>())];

    static Tensor Raw(string path, long[] shape, string dtype)
    {
        var bytes = File.ReadAllBytes(path);
        var type = dtype switch { "int32" => ScalarType.Int32, "float32" => ScalarType.Float32, _ => throw new InvalidDataException($"{path}: dtype {dtype}") };
        var flat = type == ScalarType.Int32
            ? tensor(System.Runtime.InteropServices.MemoryMarshal.Cast<byte, int>(bytes).ToArray())
            : tensor(System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(bytes).ToArray());
        return flat.reshape(shape);
    }
}
