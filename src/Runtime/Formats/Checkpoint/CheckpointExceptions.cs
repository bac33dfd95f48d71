namespace Layerwise.Formats.Checkpoint;

/// <summary>
/// A checkpoint that cannot be read or does not fit the model. The message names the file, the key
/// (tensor) inside it and what was expected; <see cref="FilePath"/> and <see cref="Key"/> say the same
/// for code. Nothing in the model has changed when one of these is thrown.
/// </summary>
public class CheckpointException : LayerwiseException
{
    /// <summary>A checkpoint error about <paramref name="key"/> in <paramref name="filePath"/>.</summary>
    /// <param name="message">The full message: what, where and what was expected.</param>
    /// <param name="filePath">The index or data file concerned, if any.</param>
    /// <param name="key">The checkpoint key concerned, if any.</param>
    /// <param name="inner">The underlying exception, if any.</param>
    public CheckpointException(string message, string? filePath, string? key, Exception? inner = null)
        : base(message, inner!)
    {
        FilePath = filePath;
        Key = key;
    }

    /// <summary>The file the problem is in (an index or data file), when there is one.</summary>
    public string? FilePath { get; }

    /// <summary>The checkpoint key (tensor name) concerned, when there is one.</summary>
    public string? Key { get; }
}

/// <summary>The checkpoint's files are missing (no <c>.index</c>, or a data shard it names).</summary>
public sealed class CheckpointNotFoundException(string message, string? filePath, string? key = null)
    : CheckpointException(message, filePath, key);

/// <summary>
/// A file that is not a well-formed bundle: truncated, bad magic number, block or entry that does
/// not parse, an offset beyond the end of a shard, an unsupported feature.
/// </summary>
public class CorruptCheckpointException(string message, string? filePath, string? key = null, Exception? inner = null)
    : CheckpointException(message, filePath, key, inner);

/// <summary>Bytes whose CRC-32C differs from the one recorded for them: the file was damaged after it was written.</summary>
public sealed class CheckpointChecksumException(string message, string? filePath, string? key, uint expected, uint actual)
    : CorruptCheckpointException(message, filePath, key)
{
    /// <summary>The CRC-32C recorded in the file.</summary>
    public uint ExpectedCrc32C { get; } = expected;
    /// <summary>The CRC-32C of the bytes as read.</summary>
    public uint ActualCrc32C { get; } = actual;
}

/// <summary>
/// A well-formed checkpoint that does not fit the model: a weight the model has is missing from it,
/// or is there with another shape or type. <see cref="LayerName"/> and <see cref="VariableName"/>
/// say which weight of the model.
/// </summary>
public sealed class CheckpointMismatchException(string message, string? filePath, string? key, string? layerName, string? variableName)
    : CheckpointException(message, filePath, key)
{
    /// <summary>The model's layer whose weight does not fit, when known.</summary>
    public string? LayerName { get; } = layerName;
    /// <summary>The weight's name within that layer (e.g. <c>kernel</c>), when known.</summary>
    public string? VariableName { get; } = variableName;
}
