namespace Layerwise.Fuzz;

/// <summary>
/// A reader under test: its name (as the command line and the allow-list spell it), the API it
/// calls, whether the format carries checksums that should make every corruption detectable, and
/// how a mutant of one of its seeds is made. <see cref="ForeignFilesChecked"/>: whether a foreign file
/// (not written by Layerwise) in this format has checksums over everything a load reads, so that a
/// silent wrong load of one is a defect too; where it has not (h5py's version-0 HDF5 metadata, raw
/// HDF5 data, JSON, protobuf), docs/security.md says so and the gate reports without failing.
/// </summary>
internal sealed record Reader(string Name, string Api, string Checksums, bool ComparesWeights, bool ForeignFilesChecked, Action<FormatMutator, string, Seed> MutateCopy);

/// <summary>Every reader of a model file Layerwise has, and how its mutants are made.</summary>
internal static class Readers
{
    /// <summary>The readers, in the order they run and report.</summary>
    public static readonly Reader[] All =
    [
        new("load-h5", "Model.Load(\"m.h5\")", "HDF5 metadata (v2+ structures); data none", true, false, (m, copy, _) => MutateFile(copy, m.Hdf5)),
        new("load-keras", "Model.Load(\"m.keras\")", "zip CRC-32 per member", true, true, (m, copy, _) => MutateFile(copy, m.Zip)),
        new("load-dir", "Model.Load(dir)", "none (config.json, metadata.json); model.weights.h5 as HDF5", true, false, (m, copy, _) => MutateDirectory(m, copy)),
        new("load-savedmodel", "Model.Load(SavedModel dir)", "variables: CRC32C; saved_model.pb, keras_metadata.pb: none", true, false, (m, copy, _) => MutateSavedModel(m, copy)),
        new("weights-h5", "LoadWeights(\"w.h5\")", "HDF5 metadata (v2+ structures); data none", true, false, (m, copy, _) => MutateFile(copy, m.Hdf5)),
        new("weights-weights-h5", "LoadWeights(\"w.weights.h5\")", "HDF5 metadata (v2+ structures); data none", true, false, (m, copy, _) => MutateFile(copy, m.Hdf5)),
        new("weights-ckpt", "LoadWeights(prefix)", "CRC32C (index blocks, every tensor)", true, true, (m, copy, seed) => MutateBundle(m, copy, seed.Entry!, dataToo: true)),
        new("ckpt-list", "Checkpoint.ListVariables(prefix)", "CRC32C (index blocks)", true, true, (m, copy, seed) => MutateBundle(m, copy, seed.Entry!, dataToo: false)),
        new("ckpt-latest", "Checkpoint.Latest(dir)", "none (text)", false, false, (m, copy, _) => MutateFile(Path.Combine(copy, "checkpoint"), m.CheckpointText)),
        new("from-json", "Model.FromJson(text)", "none (text)", false, false, (m, copy, _) => MutateFile(copy, d => m.Bytes.Random.Next(5) == 0
            ? m.Bytes.MutateAny(d) : System.Text.Encoding.UTF8.GetBytes(new JsonMutator(m.Bytes).Mutate(System.Text.Encoding.UTF8.GetString(d))))),
        new("backup-state", "BackupAndRestore (Fit resuming)", "none (MessagePack state); checkpoint: CRC32C", true, true, (m, copy, _) => MutateBackup(m, copy)),
    ];

    /// <summary>The reader named <paramref name="name"/>.</summary>
    public static Reader Get(string name) => All.FirstOrDefault(r => r.Name == name) ?? throw new ArgumentException($"No reader \"{name}\"; readers: {string.Join(", ", All.Select(r => r.Name))}");

    static void MutateFile(string path, Func<byte[], byte[]> mutate) => File.WriteAllBytes(path, mutate(File.ReadAllBytes(path)));

    static void MutateDirectory(FormatMutator m, string dir)
    {
        var files = Directory.GetFiles(dir).OrderBy(f => f, StringComparer.Ordinal).ToArray();
        var file = files[m.Bytes.Random.Next(files.Length)];
        m.Bytes.Log.Append($"{Path.GetFileName(file)}: ");
        if (m.Bytes.Random.Next(20) == 0) { File.Delete(file); m.Bytes.Log.Append("deleted "); return; }
        if (file.EndsWith(".json", StringComparison.Ordinal))
            MutateFile(file, d => m.Bytes.Random.Next(4) == 0 ? m.Bytes.MutateAny(d)
                : System.Text.Encoding.UTF8.GetBytes(new JsonMutator(m.Bytes).Mutate(System.Text.Encoding.UTF8.GetString(d))));
        else MutateFile(file, m.Hdf5);
    }

    static void MutateSavedModel(FormatMutator m, string dir)
    {
        var files = Directory.GetFiles(dir, "*", SearchOption.AllDirectories)
            .Where(f => f.EndsWith(".pb", StringComparison.Ordinal) || f.Contains("variables.", StringComparison.Ordinal))
            .OrderBy(f => f, StringComparer.Ordinal).ToArray();
        var file = files[m.Bytes.Random.Next(files.Length)];
        m.Bytes.Log.Append($"{Path.GetRelativePath(dir, file)}: ");
        if (file.EndsWith(".index", StringComparison.Ordinal)) MutateFile(file, m.BundleIndex);
        else if (file.EndsWith(".pb", StringComparison.Ordinal))
            MutateFile(file, d => m.Bytes.Random.Next(3) switch
            {
                0 => m.PatchEmbeddedJson(d) ?? m.Bytes.MutateAny(d),
                1 => m.Bytes.VarintLie(d, m.Bytes.Random.Next(Math.Max(1, d.Length))),
                _ => m.Bytes.MutateAny(d),
            });
        else MutateFile(file, m.Bytes.MutateAny);
    }

    static void MutateBundle(FormatMutator m, string dir, string prefix, bool dataToo)
    {
        var index = Path.Combine(dir, prefix + ".index");
        if (dataToo && m.Bytes.Random.Next(3) == 0)
        {
            var data = Directory.GetFiles(dir, prefix + ".data-*").OrderBy(f => f, StringComparer.Ordinal).First();
            m.Bytes.Log.Append("data: ");
            MutateFile(data, m.Bytes.MutateAny);
            return;
        }
        m.Bytes.Log.Append("index: ");
        MutateFile(index, m.BundleIndex);
    }

    static void MutateBackup(FormatMutator m, string dir)
    {
        if (m.Bytes.Random.Next(8) == 0)
        {
            var index = Directory.GetFiles(dir, "*.index").OrderBy(f => f, StringComparer.Ordinal).First();
            m.Bytes.Log.Append($"{Path.GetFileName(index)}: ");
            MutateFile(index, m.BundleIndex);
            return;
        }
        m.Bytes.Log.Append("state: ");
        MutateFile(Path.Combine(dir, Callbacks.BackupAndRestore.StateFileName), m.TrainingState);
    }
}
