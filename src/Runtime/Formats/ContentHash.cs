using System.Security.Cryptography;
using PureHDF;

namespace Layerwise.Formats;

/// <summary>
/// A SHA-256 of each weight's bytes, kept beside it in the HDF5 files Layerwise writes (.h5, .weights.h5,
/// the weights of .keras archives and model directories) as the dataset attribute
/// <see cref="AttributeName"/>, which Keras and h5py ignore. HDF5 checksums only its metadata: a byte
/// flipped inside a contiguous dataset's values is invisible to HDF5 itself, and would load as a wrong
/// weight. On load, a dataset that carries the attribute must hash to it (files without it, such as
/// those Keras writes, load as before).
/// </summary>
internal static class ContentHash
{
    /// <summary>The attribute holding the lowercase hex SHA-256 of the dataset's float32 little-endian values.</summary>
    public const string AttributeName = "layerwise_sha256";

    /// <summary>
    /// The root attribute of a whole-model .h5 holding the SHA-256 of its <c>model_config</c> and
    /// <c>training_config</c> texts (HDF5 keeps such strings in its global heap, which has no checksum).
    /// </summary>
    public const string ConfigAttributeName = "layerwise_config_sha256";

    /// <summary>The hash of a file's config texts, as stored in <see cref="ConfigAttributeName"/>.</summary>
    public static string OfConfig(string modelConfig, string? trainingConfig) =>
        Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(modelConfig + "\n" + (trainingConfig ?? ""))));

    /// <summary>The hash of <paramref name="values"/>, as stored.</summary>
    public static string Of(ReadOnlySpan<float> values) =>
        Convert.ToHexStringLower(SHA256.HashData(System.Runtime.InteropServices.MemoryMarshal.AsBytes(values)));

    /// <summary>Adds the hash of <paramref name="values"/> to <paramref name="dataset"/>.</summary>
    public static void Attach(H5Dataset dataset, float[] values) => dataset.Attributes[AttributeName] = Of(values);

    /// <summary>
    /// The hash <paramref name="dataset"/> records, or null when it records none (a file Layerwise did not write,
    /// or a dataset not read as stored float32 values).
    /// </summary>
    public static string? Recorded(IH5Dataset dataset)
    {
        if (dataset.Type.Class != H5DataTypeClass.FloatingPoint || dataset.Type.Size != 4 || !dataset.AttributeExists(AttributeName)) return null;
        var attribute = dataset.Attribute(AttributeName);
        if (attribute.Type.Class is not (H5DataTypeClass.String or H5DataTypeClass.VariableLength)) return null;
        return attribute.Space.Type == H5DataspaceType.Scalar ? attribute.Read<string>()?.TrimEnd('\0') : null;
    }

    /// <summary>Throws when <paramref name="values"/>, just read from <paramref name="dataset"/>, do not hash to what it records.</summary>
    public static void Verify(IH5Dataset dataset, ReadOnlySpan<float> values, string filePath, string objectPath)
    {
        if (Recorded(dataset) is not { } recorded) return;
        var actual = Of(values);
        if (!string.Equals(recorded, actual, StringComparison.Ordinal))
            throw new ModelFileException(filePath, objectPath,
                $"the weight's values do not match the SHA-256 recorded beside them when the file was written ({recorded[..Math.Min(16, recorded.Length)]}..., " +
                $"the values give {actual[..16]}...): the file was damaged after it was written.");
    }
}
