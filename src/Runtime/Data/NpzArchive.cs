using System.IO.Compression;
using Layerwise.Formats;
using static TorchSharp.torch;

namespace Layerwise.Data;

/// <summary>
/// NumPy's <c>.npz</c> archive (<c>numpy.savez</c>, <c>numpy.savez_compressed</c>, <c>numpy.load</c>): a zip
/// of <c>.npy</c> members, one per named array. Arrays follow <see cref="NumpyFile"/>'s rules
/// (float32/float64/int32/int64, little-endian, C order).
/// </summary>
public static class NpzArchive
{
    /// <summary>Reads every array, keyed by its name (the member name without <c>.npy</c>), in archive order.</summary>
    /// <exception cref="NumpyFormatException">The file is not a zip, or a member is not a supported .npy array.</exception>
    public static IReadOnlyDictionary<string, Tensor> Read(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ZipArchive zip;
        try { zip = ZipFile.OpenRead(path); }
        catch (InvalidDataException e) { throw new NumpyFormatException(path, "not an .npz file (it is not a zip archive).", e); }

        var arrays = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        try
        {
            using (zip)
            {
                foreach (var entry in zip.Entries)
                {
                    var source = $"{path} (member \"{entry.FullName}\")";
                    var name = entry.FullName.EndsWith(".npy", StringComparison.Ordinal) ? entry.FullName[..^4] : entry.FullName;
                    if (arrays.ContainsKey(name)) throw new NumpyFormatException(source, $"the array \"{name}\" appears twice.");
                    using var stream = OpenMember(entry, source);
                    arrays[name] = NumpyFile.Read(stream, source, entry.Length);
                }
            }
        }
        catch
        {
            foreach (var tensor in arrays.Values) tensor.Dispose();
            throw;
        }
        return arrays;
    }

    /// <summary>
    /// Writes the arrays as an .npz (member <c>name.npy</c> each) that <c>numpy.load</c> reads; with
    /// <paramref name="compressed"/> as <c>numpy.savez_compressed</c> does. Atomic: written beside, then renamed.
    /// </summary>
    /// <exception cref="ArgumentException">A name is empty or repeated.</exception>
    /// <exception cref="NotSupportedException">A tensor's dtype is not float32, float64, int32 or int64.</exception>
    public static void Write(string path, IEnumerable<KeyValuePair<string, Tensor>> arrays, bool compressed = false)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(arrays);
        var list = arrays.ToList();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (name, _) in list)
            if (string.IsNullOrEmpty(name) || !seen.Add(name))
                throw new ArgumentException($"Array names in an .npz must be non-empty and distinct; \"{name}\" is not.", nameof(arrays));
        AtomicFile.Write(path, temporary =>
        {
            using var zip = ZipFile.Open(temporary, ZipArchiveMode.Create);
            foreach (var (name, tensor) in list)
            {
                var entry = zip.CreateEntry(name + ".npy", compressed ? CompressionLevel.Optimal : CompressionLevel.NoCompression);
                using var stream = entry.Open();
                NumpyFile.Write(stream, tensor);
            }
        });
    }

    static Stream OpenMember(ZipArchiveEntry entry, string source)
    {
        try { return entry.Open(); }
        catch (InvalidDataException e) { throw new NumpyFormatException(source, "the member cannot be opened (unsupported compression or a corrupt archive).", e); }
    }
}
