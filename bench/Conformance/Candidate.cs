using Layerwise.Formats.Hdf5;

namespace Layerwise.Conformance;

/// <summary>What a file found under a scanned folder is, as far as a Keras user would see it.</summary>
enum CandidateKind
{
    /// <summary>A whole-model .h5 (root attribute <c>model_config</c>).</summary>
    WholeModelH5,
    /// <summary>A weights .h5 whose architecture is a sibling <c>*_config.json</c> (model_from_json + load_weights).</summary>
    ConfigAndWeights,
    /// <summary>A Keras 3 <c>.keras</c> archive.</summary>
    KerasArchive,
    /// <summary>A TensorFlow SavedModel directory (<c>saved_model.pb</c>).</summary>
    SavedModel,
    /// <summary>Weights without any architecture beside them: not a model a user can load.</summary>
    WeightsOnly,
    /// <summary>Inputs/outputs data of a test case, or an HDF5 file that is not a Keras file.</summary>
    NotAModel,
}

/// <summary>One file or directory of the report, with what is known about it before loading.</summary>
sealed record Candidate(string Source, string Path, string Display, CandidateKind Kind, string? ConfigPath, string? KerasVersion)
{
    public bool IsModel => Kind is not (CandidateKind.WeightsOnly or CandidateKind.NotAModel);

    /// <summary>Every Keras file and SavedModel directory under <paramref name="root"/>, in path order.</summary>
    public static IEnumerable<Candidate> Scan(string source, string root)
    {
        var savedModels = Directory.EnumerateFiles(root, "saved_model.pb", SearchOption.AllDirectories)
            .Select(p => System.IO.Path.GetDirectoryName(p)!).ToHashSet();
        var files = Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories)
            .Where(p => p.EndsWith(".h5", StringComparison.OrdinalIgnoreCase) || p.EndsWith(".hdf5", StringComparison.OrdinalIgnoreCase)
                        || p.EndsWith(".keras", StringComparison.OrdinalIgnoreCase))
            .Where(p => !savedModels.Any(d => p.StartsWith(d + "/", StringComparison.Ordinal)));
        foreach (var path in files.Concat(savedModels).Order(StringComparer.Ordinal))
            yield return Classify(source, root, path);
    }

    static Candidate Classify(string source, string root, string path)
    {
        string display = System.IO.Path.GetRelativePath(root, path);
        if (Directory.Exists(path)) return new(source, path, display + "/", CandidateKind.SavedModel, null, null);
        if (path.EndsWith(".keras", StringComparison.OrdinalIgnoreCase))
            return new(source, path, display, CandidateKind.KerasArchive, null, KerasArchiveVersion(path));
        try
        {
            using var h5 = Hdf5Input.Open(path, display);
            var version = h5.ReadOptionalString(h5.Root, "keras_version");
            if (h5.HasAttribute(h5.Root, "model_config")) return new(source, path, display, CandidateKind.WholeModelH5, null, version);
            bool hasWeights = h5.HasAttribute(h5.Root, "layer_names") || h5.HasLink(h5.Root, "model_weights") || h5.HasLink(h5.Root, "layers");
            if (!hasWeights) return new(source, path, display, CandidateKind.NotAModel, null, version);
            var config = SiblingConfig(path);
            return config is null
                ? new(source, path, display, CandidateKind.WeightsOnly, null, version)
                : new(source, path, display, CandidateKind.ConfigAndWeights, config, version);
        }
        catch (Exception e)
        {
            // An unreadable HDF5 file is still a model file the user has: the probe reports why it fails.
            return new(source, path, display, CandidateKind.WholeModelH5, null, "? (" + e.GetType().Name + ")");
        }
    }

    /// <summary>DL4J's split cases: <c>X_weights.h5</c> beside <c>X_config.json</c> (or <c>X.json</c>).</summary>
    static string? SiblingConfig(string weightsPath)
    {
        var dir = System.IO.Path.GetDirectoryName(weightsPath)!;
        var stem = System.IO.Path.GetFileNameWithoutExtension(weightsPath);
        var bare = stem.EndsWith("_weights", StringComparison.Ordinal) ? stem[..^"_weights".Length] : stem;
        foreach (var name in new[] { bare + "_config.json", bare + ".json", stem + ".json" })
        {
            var candidate = System.IO.Path.Combine(dir, name);
            if (File.Exists(candidate)) return candidate;
        }
        return null;
    }

    static string? KerasArchiveVersion(string path)
    {
        try
        {
            using var zip = System.IO.Compression.ZipFile.OpenRead(path);
            var entry = zip.GetEntry("metadata.json");
            if (entry is null || entry.Length > 1 << 20) return null;
            using var reader = new StreamReader(entry.Open());
            var node = System.Text.Json.Nodes.JsonNode.Parse(reader.ReadToEnd());
            return node?["keras_version"]?.GetValue<string>();
        }
        catch (Exception) { return null; }
    }
}
