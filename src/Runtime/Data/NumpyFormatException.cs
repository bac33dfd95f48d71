namespace Layerwise.Data;

/// <summary>
/// A <c>.npy</c> or <c>.npz</c> file that cannot be read: a bad magic string or header, a dtype or
/// layout Layerwise does not exchange (only little-endian float32/float64/int32/int64 in C order),
/// or data shorter than the header declares. The message names the file, the entry and what was expected.
/// </summary>
public sealed class NumpyFormatException : LayerwiseException
{
    /// <summary>Creates the error for <paramref name="source"/> (a path, or a path and an .npz entry).</summary>
    public NumpyFormatException(string source, string message, Exception? inner = null)
        : base($"{source}: {message}", inner ?? new InvalidDataException(message))
    {
        FilePath = source;
    }

    /// <summary>The file (and, inside an .npz, the entry) being read.</summary>
    public string FilePath { get; }
}
