using System.IO.Compression;
using System.Text.Json.Nodes;
using Layerwise.Formats;
using Layerwise.Formats.Checkpoint;
using Layerwise.Formats.Hdf5;
using Layerwise.Formats.SavedModel;
using PureHDF;

namespace Layerwise.Cli.Inspection;

/// <summary>
/// Reads what a file records, format by format, without building a model: the writer's version
/// marks, the config's layers, every stored array with its dtype and shape, the optimizer's state,
/// and checksums where the format has them (TensorFlow bundles: CRC-32C per tensor; zip members: CRC-32).
/// </summary>
internal static class FileInspector
{
    public static FileInspection Inspect(ModelFile file)
    {
        var result = new FileInspection { Path = file.Path, Format = file.Description };
        switch (file.Kind)
        {
            case ModelFileKind.KerasH5Model:
            case ModelFileKind.KerasH5Weights:
            case ModelFileKind.Keras3Weights:
                InspectHdf5(file.Path, file.Path, result);
                result.Checksums = "none in the format (HDF5 metadata checksums are not verified by this reader)";
                break;
            case ModelFileKind.KerasArchive:
                InspectArchive(file.Path, result);
                break;
            case ModelFileKind.ModelDirectory:
                ReadKeras3Json(File.ReadAllText(System.IO.Path.Combine(file.Path, "config.json")),
                    File.Exists(System.IO.Path.Combine(file.Path, "metadata.json")) ? File.ReadAllText(System.IO.Path.Combine(file.Path, "metadata.json")) : null, file.Path, result);
                InspectHdf5(System.IO.Path.Combine(file.Path, "model.weights.h5"), file.Path + "/model.weights.h5", result);
                result.Checksums = "none in the format (a directory's files carry no checksums)";
                break;
            case ModelFileKind.SavedModel:
                InspectSavedModel(file.Path, result);
                break;
            case ModelFileKind.Checkpoint:
                InspectBundle(file.Path, result);
                break;
            case ModelFileKind.Tfjs:
                InspectTfjs(file.Path, result);
                break;
        }
        return result;
    }

    // ---- HDF5 (.h5 model, save_weights .h5, .weights.h5, and the weights inside .keras / directories)

    static void InspectHdf5(string path, string displayPath, FileInspection result)
    {
        using var input = Hdf5Input.Open(path, displayPath);
        var root = input.Root;
        foreach (var key in new[] { "keras_version", "backend", "layerwise_version" })
            if (input.ReadOptionalString(root, key) is { } value) result.Writer.TryAdd(key, value);
        if (input.ReadOptionalString(root, "model_config") is { } modelConfig) ReadModelConfig(Parse(modelConfig, displayPath, "/@model_config"), result);
        if (input.ReadOptionalString(root, "training_config") is { } trainingConfig)
        {
            result.TrainingConfig = Parse(trainingConfig, displayPath, "/@training_config");
            result.Optimizer ??= result.TrainingConfig?["optimizer_config"]?["class_name"]?.GetValue<string>();
        }
        input.Guard("/", "a readable HDF5 tree", () =>
        {
            Walk(root, "", result);
            return 0;
        });
    }

    static void Walk(IH5Group group, string prefix, FileInspection result)
    {
        foreach (var child in group.Children())
        {
            var name = prefix + child.Name.Split('/')[^1];
            if (child is IH5Group sub) Walk(sub, name + "/", result);
            else if (child is IH5Dataset dataset)
            {
                var array = new StoredArray(name, DTypeOf(dataset.Type), ShapeOf(dataset.Space));
                bool optimizer = name.StartsWith("optimizer_weights/", StringComparison.Ordinal) || name.StartsWith("optimizer/", StringComparison.Ordinal);
                (optimizer ? result.OptimizerWeights : result.Weights).Add(array);
            }
        }
    }

    static string DTypeOf(IH5DataType type) => (type.Class, type.Size) switch
    {
        (H5DataTypeClass.FloatingPoint, 2) => "float16",
        (H5DataTypeClass.FloatingPoint, 4) => "float32",
        (H5DataTypeClass.FloatingPoint, 8) => "float64",
        (H5DataTypeClass.FixedPoint, var size) => $"int{size * 8}",
        (var cls, var size) => $"{cls.ToString().ToLowerInvariant()}{size * 8}",
    };

    static long[] ShapeOf(IH5Dataspace space) =>
        space.Type == H5DataspaceType.Simple ? [.. space.Dimensions.Select(d => checked((long)d))] : [];

    // ---- Keras 3 archive (.keras) and its JSON entries

    static void InspectArchive(string path, FileInspection result)
    {
        ZipArchive zip;
        try { zip = ZipFile.OpenRead(path); }
        catch (InvalidDataException e) { throw new ModelFileException(path, "", $"not a readable zip archive ({e.Message}).", e); }
        using (zip)
        {
            string? config = null, metadata = null;
            int checkedMembers = 0;
            var weightsCopy = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"layerwise-inspect-{Guid.NewGuid():N}.weights.h5");
            try
            {
                foreach (var entry in zip.Entries)
                {
                    VerifyCrc(entry, path);
                    checkedMembers++;
                    if (entry.FullName == "config.json") config = ReadText(entry);
                    else if (entry.FullName == "metadata.json") metadata = ReadText(entry);
                    else if (entry.FullName == "model.weights.h5") entry.ExtractToFile(weightsCopy);
                }
                if (config is null) throw new ModelFileException(path, "config.json", "expected a config.json member; the archive has none.");
                ReadKeras3Json(config, metadata, path, result);
                if (File.Exists(weightsCopy)) InspectHdf5(weightsCopy, path + "/model.weights.h5", result);
            }
            finally
            {
                File.Delete(weightsCopy);
            }
            result.Checksums = $"CRC-32 of {checkedMembers} zip members verified";
        }
    }

    /// <summary>Reads the member through and compares its CRC-32 with the one the archive records (.NET's reader does not).</summary>
    static void VerifyCrc(ZipArchiveEntry entry, string path)
    {
        uint actual;
        using (var stream = entry.Open()) actual = ZipCrc32.Of(stream);
        if (actual != entry.Crc32)
            throw new ModelFileException(path, entry.FullName, $"CRC-32 mismatch: the archive records 0x{entry.Crc32:x8}, the content has 0x{actual:x8}; the archive is corrupt.");
    }

    static string ReadText(ZipArchiveEntry entry)
    {
        using var reader = new StreamReader(entry.Open());
        return reader.ReadToEnd();
    }

    static void ReadKeras3Json(string config, string? metadata, string path, FileInspection result)
    {
        if (metadata is not null && Parse(metadata, path, "metadata.json") is JsonObject meta)
            foreach (var (key, value) in meta)
                if (value is JsonValue v) result.Writer.TryAdd(key, v.ToString());
        var configJson = Parse(config, path, "config.json");
        ReadModelConfig(configJson, result);
        if (configJson?["compile_config"] is JsonObject compile)
        {
            result.TrainingConfig = compile;
            result.Optimizer = compile["optimizer"]?["class_name"]?.GetValue<string>();
        }
    }

    // ---- TensorFlow formats

    static void InspectBundle(string prefix, FileInspection result)
    {
        using var reader = BundleReader.Open(prefix);
        var numeric = new List<string>();
        foreach (var (key, entry) in reader.Entries.OrderBy(e => e.Key, StringComparer.Ordinal))
        {
            if (entry.DType == TensorDataType.String) continue;   // the object graph
            numeric.Add(key);
            var array = new StoredArray(key, TensorDataTypes.Name(entry.DType), entry.Shape);
            // TF2 object-graph keys: optimizer/... (iterations, hyperparameters) and .OPTIMIZER_SLOT/ (Adam's m, v) are the
            // optimizer's; keras_api/metrics/..., save_counter and the like are other training state.
            if (key.StartsWith("optimizer/", StringComparison.Ordinal) || key.Contains("/.OPTIMIZER_SLOT/", StringComparison.Ordinal)) result.OptimizerWeights.Add(array);
            else if (key.StartsWith("keras_api/metrics/", StringComparison.Ordinal) || key.StartsWith("save_counter", StringComparison.Ordinal)) result.OtherState.Add(array);
            else result.Weights.Add(array);
        }
        reader.VerifyAll(numeric);
        result.Checksums = $"CRC-32C of {numeric.Count} tensors verified";
    }

    static void InspectSavedModel(string directory, FileInspection result)
    {
        var metadataPath = System.IO.Path.Combine(directory, KerasMetadata.FileName);
        if (File.Exists(metadataPath))
        {
            var root = KerasMetadata.Parse(File.ReadAllBytes(metadataPath)).FirstOrDefault(n => n.NodeId == 0);
            if (root is not null && Parse(root.Metadata, directory, KerasMetadata.FileName) is JsonObject rootJson)
            {
                foreach (var key in new[] { "keras_version", "backend" })
                    if (rootJson[key] is JsonValue v) result.Writer[key] = v.ToString();
                ReadModelConfig(new JsonObject { ["class_name"] = rootJson["class_name"]?.DeepClone(), ["config"] = rootJson["config"]?.DeepClone() }, result);
                if (rootJson["training_config"] is JsonNode training)
                {
                    result.TrainingConfig = SavedModelConfig.Decode(training.DeepClone());
                    result.Optimizer = result.TrainingConfig?["optimizer_config"]?["class_name"]?.GetValue<string>();
                }
            }
        }
        InspectBundle(SavedModelDirectory.VariablesPrefix(directory), result);
    }

    static void InspectTfjs(string directory, FileInspection result)
    {
        var path = System.IO.Path.Combine(directory, "model.json");
        if (Parse(File.ReadAllText(path), path, "") is not JsonObject json) throw new ModelFileException(path, "", "expected a JSON object.");
        foreach (var key in new[] { "format", "generatedBy", "convertedBy" })
            if (json[key] is JsonValue v) result.Writer[key] = v.ToString();
        if (json["modelTopology"]?["model_config"] is JsonObject modelConfig) ReadModelConfig(modelConfig, result);
        if (json["weightsManifest"] is JsonArray groups)
            foreach (var weight in groups.SelectMany(g => g?["weights"] as JsonArray ?? []))
                result.Weights.Add(new StoredArray(weight?["name"]?.GetValue<string>() ?? "?", weight?["dtype"]?.GetValue<string>() ?? "?",
                    (weight?["shape"] as JsonArray ?? []).Select(d => d!.GetValue<long>()).ToArray()));
        result.Checksums = "none in the format";
    }

    // ---- configs

    static void ReadModelConfig(JsonNode? config, FileInspection result)
    {
        if (config is not JsonObject model) return;
        result.Config = model;
        result.ModelClass = model["class_name"]?.GetValue<string>();
        var inner = model["config"];
        result.ModelName = (inner as JsonObject)?["name"]?.GetValue<string>();
        var layers = inner as JsonArray ?? (inner as JsonObject)?["layers"] as JsonArray;
        foreach (var layer in layers ?? [])
            result.Layers.Add(new StoredLayer(layer?["config"]?["name"]?.GetValue<string>() ?? layer?["name"]?.GetValue<string>() ?? "?",
                layer?["class_name"]?.GetValue<string>() ?? "?"));
    }

    static JsonNode? Parse(string json, string path, string objectPath)
    {
        try { return JsonNode.Parse(json); }
        catch (System.Text.Json.JsonException e) { throw new ModelFileException(path, objectPath, $"expected JSON; {e.Message}", e); }
    }
}
