using Layerwise.Formats.Checkpoint;

namespace Layerwise.Formats;

/// <summary>
/// The edge of every public reader (<c>Model.Load</c>, <c>LoadWeights</c>, <c>Model.FromJson</c>,
/// <c>Checkpoint.Latest</c>/<c>ListVariables</c>): what a file can make escape it is a
/// <see cref="LayerwiseException"/> (<see cref="ModelFileException"/>, <see cref="CheckpointException"/>, ...)
/// or an I/O error of the machine (missing file, no permission, a failing disk). Any other exception
/// thrown while reading (a parser's <c>IndexOutOfRangeException</c>, an <c>OutOfMemoryException</c> for an
/// impossible array length, ...) is a hole in the validation in front of it: it is not swallowed but
/// wrapped, with the original as inner exception, so callers have one type to catch and the bug stays visible.
/// </summary>
internal static class ReaderBoundary
{
    /// <summary>Runs a model-file read; unexpected exceptions become <see cref="ModelFileException"/>s naming <paramref name="filePath"/>.</summary>
    public static T Run<T>(string filePath, Func<T> read)
    {
        try
        {
            return read();
        }
        catch (Exception e) when (IsUnexpected(e))
        {
            throw new ModelFileException(filePath, "", Unexpected(e), e);
        }
    }

    /// <summary>Runs a model-file read that returns nothing.</summary>
    public static void Run(string filePath, Action read) => Run(filePath, () => { read(); return 0; });

    /// <summary>Runs a checkpoint read; unexpected exceptions become <see cref="CorruptCheckpointException"/>s.</summary>
    public static T RunCheckpoint<T>(string filePath, Func<T> read)
    {
        try
        {
            return read();
        }
        catch (Exception e) when (IsUnexpected(e))
        {
            throw new CorruptCheckpointException($"Cannot use checkpoint \"{filePath}\": {Unexpected(e)}", filePath, null, e);
        }
    }

    static string Unexpected(Exception e) =>
        $"reading it failed with {e.GetType().Name} ({e.Message}). The file is corrupt or hostile in a way no check caught; " +
        "please report it to Layerwise with the file, as every bad file should be refused with a specific message.";

    /// <summary>Whether <paramref name="e"/> is neither a typed Layerwise error nor an I/O error of the machine.</summary>
    static bool IsUnexpected(Exception e) => e switch
    {
        LayerwiseException => false,
        EndOfStreamException => true,   // a truncated file: the file's fault, not the machine's
        IOException or UnauthorizedAccessException or OperationCanceledException => false,
        _ => true,
    };
}
