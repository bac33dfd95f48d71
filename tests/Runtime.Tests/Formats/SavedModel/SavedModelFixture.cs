using System.Text.Json.Nodes;
using Layerwise.Models;
using static TorchSharp.torch;

namespace Layerwise.Tests.Formats.SavedModel;

/// <summary>
/// One directory of shared/fixtures/savedmodel (a real tf.keras 2.5-2.15 <c>model.save(dir)</c>): its
/// inputs (inputs.json: one float32 file, or one file per model input, int32 for token ids), the
/// independently computed outputs (expected.f32) and meta.json (the weights' bundle keys).
/// </summary>
internal sealed class SavedModelFixture(string name)
{
    public const string Folder = "savedmodel";

    /// <summary>All fourteen directories of the fixture folder.</summary>
    public static readonly string[] Names =
    [
        "candy", "chat", "coffee", "dqn", "fashion_cnn", "hkg_mlp", "irises", "iteam_gru",
        "kroax_decoder", "kroax_denoiser", "kroax_encoder", "stock_a", "sudoku_a", "timeseries",
    ];

    public string Name => name;

    public string Directory => Fixtures.Get($"{Folder}/{name}");

    public JsonObject Meta => (JsonObject)JsonNode.Parse(File.ReadAllText(Path.Combine(Directory, "meta.json")))!;

    /// <summary>The model's inputs, in its input layers' order.</summary>
    public List<Tensor> Inputs()
    {
        var description = (JsonObject)JsonNode.Parse(File.ReadAllText(Path.Combine(Directory, "inputs.json")))!;
        if (description["inputs"] is not JsonArray several)
            return [Read(Path.Combine(Directory, "inputs.f32"), "float32", Shape(description["shape"]))];
        return [.. several.Select(input => Read(Path.Combine(Directory, (string)input!["file"]!), (string)input["dtype"]!, Shape(input["shape"])))];
    }

    public Tensor Expected() => Read(Path.Combine(Directory, "expected.f32"), "float32", Shape(Meta["output_shape"]));

    public Tensor Predict(Model model)
    {
        var inputs = Inputs();
        try
        {
            if (inputs.Count == 1) return model.Predict(inputs[0]);
            var outputs = ((Functional)model).Predict(inputs);
            for (int i = 1; i < outputs.Length; i++) outputs[i].Dispose();
            return outputs[0];
        }
        finally
        {
            foreach (var input in inputs) input.Dispose();
        }
    }

    static long[] Shape(JsonNode? node) => [.. ((JsonArray)node!).Select(d => (long)d!)];

    static Tensor Read(string path, string dtype, long[] shape)
    {
        var bytes = File.ReadAllBytes(path);
        if (dtype == "int32")
        {
            var ints = new int[bytes.Length / 4];
            Buffer.BlockCopy(bytes, 0, ints, 0, ints.Length * 4);
            return tensor(ints, shape);
        }
        var floats = new float[bytes.Length / 4];
        Buffer.BlockCopy(bytes, 0, floats, 0, floats.Length * 4);
        return tensor(floats, shape);
    }

    public override string ToString() => name;
}
