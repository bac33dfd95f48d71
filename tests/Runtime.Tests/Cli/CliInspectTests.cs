using System.Text.Json.Nodes;
using Layerwise.Tests.Formats;

namespace Layerwise.Tests.Cli;

/// <summary>
/// <c>layerwise inspect</c>: what it lists is what an independent reader sees in the same file (h5py for
/// HDF5, the fixtures' recorded metadata for TensorFlow files), and files the project writes list the
/// weights the test built.
/// </summary>
public class CliInspectTests
{
    static JsonObject InspectJson(string path) => (JsonObject)JsonNode.Parse(CliRunner.Ok("inspect", path, "--json"))!;

    static SortedSet<string> Arrays(JsonObject json, params string[] lists) =>
        [.. lists.SelectMany(l => json[l]!.AsArray()).Select(a => $"{a!["name"]} {a["dtype"]} ({string.Join(",", a["shape"]!.AsArray().Select(d => d!.ToString()))})")];

    const string H5PyListing = """
        import h5py, sys, json
        def listing(f):
            out = []
            f.visititems(lambda n, o: out.append(f"{n} {o.dtype.name} ({','.join(str(d) for d in o.shape)})") if isinstance(o, h5py.Dataset) else None)
            return out
        """;

    [H5PyFact(CliRunner.KerasH5)]
    public void Keras_h5_lists_what_h5py_sees_with_the_recorded_keras_version()
    {
        var path = Fixtures.Get(CliRunner.KerasH5);
        var h5py = H5Py.Run(H5PyListing + "\n" + """
            f = h5py.File(sys.argv[1], 'r')
            print(json.dumps({'arrays': listing(f), 'keras_version': f.attrs['keras_version'], 'backend': f.attrs['backend']}, default=lambda b: b.decode()))
            """, [path]);
        var expected = JsonNode.Parse(h5py)!;

        var json = InspectJson(path);
        Assert.Equal(expected["arrays"]!.AsArray().Select(a => a!.ToString()).Order(StringComparer.Ordinal), Arrays(json, "weights", "optimizer_weights"));
        Assert.Equal(expected["keras_version"]!.ToString(), json["writer"]!["keras_version"]!.ToString());
        Assert.Equal(expected["backend"]!.ToString(), json["writer"]!["backend"]!.ToString());
        Assert.Equal("Adam", json["optimizer"]!.ToString());
        // fixtures/README.md: InputLayer, Flatten, Dense(128), Dropout, Dense(10)
        Assert.Equal(["InputLayer", "Flatten", "Dense", "Dropout", "Dense"], json["layers"]!.AsArray().Select(l => l!["class_name"]!.ToString()));
    }

    [H5PyFact(CliRunner.Keras3Archive)]
    public void Keras_archive_lists_what_h5py_and_zipfile_see_and_verifies_member_crcs()
    {
        var path = Fixtures.Get(CliRunner.Keras3Archive);
        var python = H5Py.Run(H5PyListing + "\n" + """
            import zipfile, io
            z = zipfile.ZipFile(sys.argv[1])
            f = h5py.File(io.BytesIO(z.read('model.weights.h5')), 'r')
            meta = json.loads(z.read('metadata.json'))
            print(json.dumps({'arrays': listing(f), 'keras_version': meta['keras_version'], 'members': len(z.namelist())}))
            """, [path]);
        var expected = JsonNode.Parse(python)!;

        var json = InspectJson(path);
        Assert.Equal(expected["arrays"]!.AsArray().Select(a => a!.ToString()).Order(StringComparer.Ordinal), Arrays(json, "weights", "optimizer_weights"));
        Assert.Equal(expected["keras_version"]!.ToString(), json["writer"]!["keras_version"]!.ToString());
        Assert.Equal($"CRC-32 of {expected["members"]} zip members verified", json["checksums"]!.ToString());
    }

    [FixtureFact(CliRunner.TfCheckpoint)]
    public void TensorFlow_checkpoint_lists_the_documented_keys_and_verifies_their_crc32c()
    {
        var prefix = Fixtures.Get(CliRunner.TfCheckpoint)[..^".index".Length];
        var json = InspectJson(prefix);
        // fixtures/README.md: the tutorial's 784-512-10 model
        Assert.Equal([
            "layer_with_weights-0/bias/.ATTRIBUTES/VARIABLE_VALUE float32 (512)",
            "layer_with_weights-0/kernel/.ATTRIBUTES/VARIABLE_VALUE float32 (784,512)",
            "layer_with_weights-1/bias/.ATTRIBUTES/VARIABLE_VALUE float32 (10)",
            "layer_with_weights-1/kernel/.ATTRIBUTES/VARIABLE_VALUE float32 (512,10)"], Arrays(json, "weights"));
        Assert.Equal("CRC-32C of 4 tensors verified", json["checksums"]!.ToString());
        // The directory with its "checkpoint" state file names cp-0050, whose files are absent.
        var (code, _, error) = CliRunner.Run("inspect", Path.GetDirectoryName(prefix)!);
        Assert.Equal(2, code);
        CliRunner.AssertOneLineError(error);
    }

    [FixtureFact(CliRunner.SavedModel)]
    public void SavedModel_lists_the_recorded_layers_version_and_parameter_count()
    {
        var directory = Fixtures.Get(CliRunner.SavedModel);
        var meta = JsonNode.Parse(File.ReadAllText(Path.Combine(directory, "meta.json")))!;
        var json = InspectJson(directory);
        Assert.Equal(meta["keras_version"]!.ToString(), json["writer"]!["keras_version"]!.ToString());
        Assert.Equal(meta["layer_classes"]!.AsArray().Select(c => c!.ToString()), json["layers"]!.AsArray().Select(l => l!["class_name"]!.ToString()));
        long parameters = json["weights"]!.AsArray().Sum(w => w!["shape"]!.AsArray().Aggregate(1L, (a, d) => a * d!.GetValue<long>()));
        Assert.Equal(meta["params"]!.GetValue<long>(), parameters);
        Assert.NotEmpty(json["optimizer_weights"]!.AsArray());   // Adam's slots
    }

    [Fact]
    public void Files_the_project_writes_list_the_weights_the_model_has_and_Layerwise_as_writer()
    {
        using var dir = new TempDirectory();
        var model = TutorialModel.Create(hidden: 16);
        var (x, y) = TutorialModel.Data(64);
        model.Fit(x, y, epochs: 1, verbose: 0);   // so there is optimizer state to list
        var first = model.Layers[0].Name;
        var second = model.Layers[2].Name;
        model.Save(dir.Combine("m.h5"));
        model.Save(dir.Combine("m.keras"));
        model.Save(dir.Combine("m_dir"));
        model.SaveWeights(dir.Combine("w.weights.h5"));
        model.SaveWeights(dir.Combine("ckpt", "cp.ckpt"));

        var h5 = InspectJson(dir.Combine("m.h5"));
        Assert.Equal(new SortedSet<string>([
            $"model_weights/{first}/{first}/bias:0 float32 (16)", $"model_weights/{first}/{first}/kernel:0 float32 (784,16)",
            $"model_weights/{second}/{second}/bias:0 float32 (10)", $"model_weights/{second}/{second}/kernel:0 float32 (16,10)"]), Arrays(h5, "weights"));
        Assert.True(h5["writer"]!.AsObject().ContainsKey("layerwise_version"));
        Assert.NotEmpty(h5["optimizer_weights"]!.AsArray());

        foreach (var path in new[] { "m.keras", "m_dir", "w.weights.h5", "ckpt" })
        {
            var json = InspectJson(dir.Combine(path));
            var shapes = json["weights"]!.AsArray().Select(w => string.Join(",", w!["shape"]!.AsArray().Select(d => d!.ToString()))).Order();
            Assert.Equal(["10", "16", "16,10", "784,16"], shapes);
            Assert.NotEmpty(json["optimizer_weights"]!.AsArray());
        }
        Assert.Contains("Checksums:  CRC-32C of", CliRunner.Ok("inspect", dir.Combine("ckpt", "cp.ckpt")));
    }

    [Fact]
    public void A_keras_archive_with_a_damaged_member_is_reported_corrupt()
    {
        using var dir = new TempDirectory();
        var model = TutorialModel.Create(hidden: 16);
        var path = dir.Combine("m.keras");
        model.Save(path);
        // Flip a byte in the middle of the stored weights (the largest member).
        var bytes = File.ReadAllBytes(path);
        bytes[bytes.Length / 2] ^= 0x5A;
        File.WriteAllBytes(path, bytes);

        var (code, _, error) = CliRunner.Run("inspect", path);
        Assert.Equal(4, code);
        CliRunner.AssertOneLineError(error);
    }

    [FixtureFact(CliRunner.KerasH5)]
    public void Text_output_names_format_writer_layers_and_checksums()
    {
        var text = CliRunner.Ok("inspect", Fixtures.Get(CliRunner.KerasH5));
        Assert.Contains("Format:     Keras HDF5 model (.h5)", text);
        Assert.Contains("Written by: keras_version=2.4.0, backend=tensorflow", text);   // fixtures/README.md: Keras 2.4.0
        Assert.Contains("model_weights/dense_2/dense_2/kernel:0", text);
        Assert.Contains("(784, 128)", text);
    }
}
