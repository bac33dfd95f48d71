using System.IO.Hashing;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using PureHDF;

namespace Layerwise.Formats;

/// <summary>
/// A hash of each weight's bytes, kept beside it in the HDF5 files Layerwise writes (.h5, .weights.h5,
/// the weights of .keras archives and model directories) as a dataset attribute that Keras and h5py
/// ignore. HDF5 checksums only its metadata: a byte flipped inside a contiguous dataset's values is
/// invisible to HDF5 itself, and would load as a wrong weight. On load, a dataset that carries the
/// attribute must hash to it (files without it, such as those Keras writes, load as before).
/// The hash detects damage (a bad disk, a truncated copy, a flipped bit), not tampering: whoever can
/// rewrite a weight can rewrite its hash too. So it is XXH128 (<see cref="AttributeName"/>, ~20 GB/s),
/// not a cryptographic hash; files written before carry a SHA-256 (<see cref="LegacyAttributeName"/>),
/// still verified.
/// </summary>
internal static class ContentHash
{
    /// <summary>The attribute holding the lowercase hex XXH128 (canonical big-endian form) of the dataset's float32 little-endian bytes.</summary>
    public const string AttributeName = "layerwise_xxh128";

    /// <summary>The attribute earlier versions wrote instead: the lowercase hex SHA-256 of the same bytes.</summary>
    public const string LegacyAttributeName = "layerwise_sha256";

    /// <summary>
    /// The root attribute of a whole-model .h5 holding the SHA-256 of its <c>model_config</c> and
    /// <c>training_config</c> texts (HDF5 keeps such strings in its global heap, which has no checksum).
    /// </summary>
    public const string ConfigAttributeName = "layerwise_config_sha256";

    /// <summary>The hash of a file's config texts, as stored in <see cref="ConfigAttributeName"/>.</summary>
    public static string OfConfig(string modelConfig, string? trainingConfig) =>
        Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(modelConfig + "\n" + (trainingConfig ?? ""))));

    /// <summary>The hash of <paramref name="bytes"/>, as stored in <see cref="AttributeName"/>.</summary>
    public static string Of(ReadOnlySpan<byte> bytes) => Convert.ToHexStringLower(XxHash128.Hash(bytes));

    /// <summary>
    /// Gives <paramref name="dataset"/> the hash of <paramref name="values"/>, to be computed when the file is written
    /// (<see cref="ComputePending"/>): <paramref name="values"/> must not change until then.
    /// </summary>
    public static void AttachLater(H5Dataset dataset, ReadOnlyMemory<float> values) => dataset.Attributes[AttributeName] = new Pending(values);

    /// <summary>
    /// A hash attached with <see cref="AttachLater"/>, not computed yet. PureHDF cannot write it (it refuses the
    /// type), so a file written without <see cref="ComputePending"/> fails instead of silently lacking its hashes.
    /// </summary>
    public sealed record Pending(ReadOnlyMemory<float> Values);

    /// <summary>
    /// Computes every pending hash under <paramref name="root"/>, the datasets spread over all cores: hashing 420 MB
    /// took ~30 ms on one core of an idle machine, most of what a save does beyond h5py's write.
    /// </summary>
    public static void ComputePending(H5Group root)
    {
        var pending = new List<(H5Dataset Dataset, Pending Hash)>();
        void Visit(H5Group group)
        {
            foreach (var (_, child) in group)
            {
                if (child is H5Group inner) Visit(inner);
                else if (child is H5Dataset dataset && dataset.Attributes.TryGetValue(AttributeName, out var value) && value is Pending hash)
                    pending.Add((dataset, hash));
            }
        }
        Visit(root);
        // Largest first, so that the last dataset a core takes is a small one.
        pending.Sort((a, b) => b.Hash.Values.Length.CompareTo(a.Hash.Values.Length));
        var hashes = new string[pending.Count];
        ParallelWork.Run(pending.Count, i => hashes[i] = Of(MemoryMarshal.AsBytes(pending[i].Hash.Values.Span)));
        for (int i = 0; i < pending.Count; i++) pending[i].Dataset.Attributes[AttributeName] = hashes[i];
    }

    /// <summary>
    /// The hash <paramref name="dataset"/> records, or null when it records none (a file Layerwise did not write,
    /// or a dataset not read as stored float32 values).
    /// </summary>
    public static Recorded? RecordedBy(IH5Dataset dataset)
    {
        if (dataset.Type.Class != H5DataTypeClass.FloatingPoint || dataset.Type.Size != 4) return null;
        if (ReadAttribute(dataset, AttributeName) is { } xxh) return new(AttributeName, "XXH128", xxh);
        if (ReadAttribute(dataset, LegacyAttributeName) is { } sha) return new(LegacyAttributeName, "SHA-256", sha);
        return null;
    }

    static string? ReadAttribute(IH5Dataset dataset, string name)
    {
        if (!dataset.AttributeExists(name)) return null;
        var attribute = dataset.Attribute(name);
        if (attribute.Type.Class is not (H5DataTypeClass.String or H5DataTypeClass.VariableLength)) return null;
        return attribute.Space.Type == H5DataspaceType.Scalar ? attribute.Read<string>()?.TrimEnd('\0') : null;
    }

    /// <summary>A hash a dataset records: the attribute it is in, the algorithm's name, the lowercase hex digest.</summary>
    public sealed record Recorded(string Attribute, string Algorithm, string Hex)
    {
        /// <summary>A hasher for the algorithm this hash was made with, fed piece by piece as bytes are read.</summary>
        public Hasher NewHasher() => new(Attribute == LegacyAttributeName);

        /// <summary>
        /// Throws when <paramref name="actualHex"/>, the hash of the values just read from <paramref name="objectPath"/>,
        /// differs from this one: the file was damaged after it was written.
        /// </summary>
        public void Check(string actualHex, string filePath, string objectPath)
        {
            if (string.Equals(Hex, actualHex, StringComparison.Ordinal)) return;
            throw new ModelFileException(filePath, objectPath,
                $"the weight's values do not match the {Algorithm} recorded beside them when the file was written ({Hex[..Math.Min(16, Hex.Length)]}..., " +
                $"the values give {actualHex[..16]}...): the file was damaged after it was written.");
        }
    }

    /// <summary>An incremental XXH128 (or, for older files, SHA-256) of a dataset's bytes.</summary>
    public sealed class Hasher
    {
        readonly XxHash128? xxh;
        readonly IncrementalHash? sha;

        /// <summary>An XXH128 hasher, or a SHA-256 one when <paramref name="legacy"/>.</summary>
        public Hasher(bool legacy = false)
        {
            if (legacy) sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            else xxh = new XxHash128();
        }

        /// <summary>Adds the next bytes.</summary>
        public void Append(ReadOnlySpan<byte> bytes)
        {
            if (xxh is not null) xxh.Append(bytes);
            else sha!.AppendData(bytes);
        }

        /// <summary>The lowercase hex digest of everything appended.</summary>
        public string Hex() => Convert.ToHexStringLower(xxh is not null ? xxh.GetCurrentHash() : sha!.GetHashAndReset());
    }

    /// <summary>Throws when <paramref name="values"/>, just read whole from <paramref name="dataset"/>, do not hash to what it records.</summary>
    public static void Verify(IH5Dataset dataset, ReadOnlySpan<float> values, string filePath, string objectPath)
    {
        if (RecordedBy(dataset) is not { } recorded) return;
        var hasher = recorded.NewHasher();
        hasher.Append(MemoryMarshal.AsBytes(values));
        recorded.Check(hasher.Hex(), filePath, objectPath);
    }
}
