using System.Text.Json.Nodes;
using Layerwise.Layers;
using Layerwise.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace Layerwise.Tests.Export;

/// <summary>
/// <see cref="Model.SaveTfjs"/>: the layout tensorflowjs_converter writes (checked against its source:
/// keras_h5_conversion.py, write_weights.py), and TensorFlow.js 4.22.0 under Node loading every model kind with
/// <c>tf.loadLayersModel(..., {strict: true})</c> and predicting within 1e-5 of Layerwise.
/// </summary>
[Collection(GlobalRandomState.Name)]
public class TfjsExportTests
{
    public static TheoryData<string> Kinds => [.. TfjsModelKinds.Names];

    [TfjsTheory]
    [MemberData(nameof(Kinds))]
    public void TensorFlow_js_loads_the_export_strictly_and_predicts_what_Layerwise_predicts(string kind)
    {
        using var dir = new TempDirectory();
        var (model, inputs) = TfjsModelKinds.Create(kind);
        var path = dir.Combine(kind);
        model.SaveTfjs(path);

        var expected = Predictions(model, inputs);
        var (actual, error) = TfjsNode.Predict(path, [.. inputs.Select(t => (t.shape, t.data<float>().ToArray()))]);
        Assert.True(actual is not null, $"TF.js could not load or run the {kind} export:\n{error}");
        AssertClose(expected, actual!, kind);
    }

    [TfjsFact]
    public void A_model_with_more_than_4_MiB_of_weights_loads_from_several_shards()
    {
        using var dir = new TempDirectory();
        // Glorot-initialized kernels keep the outputs near 1, where float32 sums of 1,000 terms agree within 1e-5.
        var model = new Sequential(new Dense(1100, activation: "tanh", inputShape: [1000]), new Dense(4));
        var path = dir.Combine("big");
        model.SaveTfjs(path);
        Assert.Equal(["group1-shard1of2.bin", "group1-shard2of2.bin"], Directory.GetFiles(path, "*.bin").Select(Path.GetFileName).Order());

        var x = randn([2, 1000], generator: new Generator(6));
        var (actual, error) = TfjsNode.Predict(path, [(x.shape, x.data<float>().ToArray())]);
        Assert.True(actual is not null, $"TF.js could not load the sharded export:\n{error}");
        AssertClose(Predictions(model, [x]), actual!, "big");
    }

    [TfjsFact]
    public void TensorFlow_js_refuses_a_GRU_with_reset_after_true()
    {
        // TF.js' GRU implements only reset_after=False (Keras 2's default before TF 2.0); Layerwise's default is true, as Keras 2.x/3's.
        using var dir = new TempDirectory();
        var model = new Sequential(new GRU(3, inputShape: [4, 2]));
        var path = dir.Combine("gru");
        model.SaveTfjs(path);
        var (actual, error) = TfjsNode.Predict(path, [([1, 4, 2], new float[8])]);
        Assert.Null(actual);
        Assert.Contains("does not support reset_after parameter set to true", error);
    }

    [Fact]
    public void Model_json_and_shards_are_laid_out_as_the_converter_writes_them()
    {
        using var dir = new TempDirectory();
        var model = new Sequential(
            [new Dense(1100, inputShape: [1000], name: "wide"), new BatchNormalization(name: "bn"), new Dense(2, name: "a_head")], name: "layout");
        TfjsModelKinds.Randomize(model, new Generator(8));
        model.Compile("adam", "mse");
        var path = dir.Combine("layout");
        model.SaveTfjs(path);

        var json = JsonNode.Parse(File.ReadAllText(Path.Combine(path, "model.json")))!.AsObject();
        Assert.Equal(["format", "generatedBy", "convertedBy", "modelTopology", "weightsManifest"], json.Select(p => p.Key));
        Assert.Equal("layers-model", json["format"]!.GetValue<string>());
        Assert.Equal("keras v2.15.0", json["generatedBy"]!.GetValue<string>());
        var topology = json["modelTopology"]!.AsObject();
        Assert.Equal(["keras_version", "backend", "model_config", "training_config"], topology.Select(p => p.Key));
        Assert.Equal("Sequential", topology["model_config"]!["class_name"]!.GetValue<string>());
        // The .h5's training_config, as the converter copies it (TF.js itself reads only model_config).
        Assert.Equal(["loss", "metrics", "weighted_metrics", "loss_weights", "optimizer_config"], topology["training_config"]!.AsObject().Select(p => p.Key));

        // One group; layers' .h5 groups in h5py's (name) order: a_head, bn, wide; weights in weight_names order.
        var group = Assert.Single(json["weightsManifest"]!.AsArray())!;
        var weights = group["weights"]!.AsArray();
        Assert.Equal(
            ["a_head/kernel", "a_head/bias", "bn/gamma", "bn/beta", "bn/moving_mean", "bn/moving_variance", "wide/kernel", "wide/bias"],
            weights.Select(w => w!["name"]!.GetValue<string>()));
        Assert.All(weights, w => Assert.Equal("float32", w!["dtype"]!.GetValue<string>()));
        Assert.Equal([1000L, 1100L], weights[6]!["shape"]!.AsArray().Select(d => d!.GetValue<long>()));

        // 4,419,620 floats' worth of bytes: one full 4 MiB shard, then the rest.
        Assert.Equal(["group1-shard1of2.bin", "group1-shard2of2.bin"], group["paths"]!.AsArray().Select(p => p!.GetValue<string>()));
        var first = File.ReadAllBytes(Path.Combine(path, "group1-shard1of2.bin"));
        var second = File.ReadAllBytes(Path.Combine(path, "group1-shard2of2.bin"));
        Assert.Equal(4_194_304, first.Length);
        var byName = model.Layers.SelectMany(l => l.Weights.Select(w => ($"{l.Name}/{w.Name}", w))).ToDictionary(e => e.Item1, e => e.w);
        var expected = weights.SelectMany(w => byName[w!["name"]!.GetValue<string>()].Value.detach().cpu().data<float>().ToArray()).ToArray();
        var written = new float[(first.Length + second.Length) / 4];
        Buffer.BlockCopy(first.Concat(second).ToArray(), 0, written, 0, first.Length + second.Length);
        Assert.Equal(expected.Length, written.Length);
        Assert.True(expected.SequenceEqual(written), "the shards do not hold the weights, little-endian float32, in manifest order");
    }

    internal static List<(long[] Shape, float[] Data)> Predictions(Model model, Tensor[] inputs)
    {
        Tensor[] outputs = model is Functional functional ? functional.Predict(inputs) : [model.Predict(inputs[0])];
        return [.. outputs.Select(o => (o.shape, o.cpu().data<float>().ToArray()))];
    }

    internal static void AssertClose(List<(long[] Shape, float[] Data)> expected, List<(long[] Shape, float[] Data)> actual, string context)
    {
        Assert.Equal(expected.Count, actual.Count);
        for (int i = 0; i < expected.Count; i++)
        {
            Assert.Equal(expected[i].Shape, actual[i].Shape);
            for (int k = 0; k < expected[i].Data.Length; k++)
                Assert.True(Math.Abs(expected[i].Data[k] - actual[i].Data[k]) <= 1e-5,
                    $"{context}: output {i}[{k}]: Layerwise {expected[i].Data[k]}, TF.js {actual[i].Data[k]}");
        }
    }
}
