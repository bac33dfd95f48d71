using System.Text.RegularExpressions;
using Layerwise.Formats;
using Layerwise.Formats.Checkpoint;
using Layerwise.Serialization;

namespace Layerwise.Fuzz;

/// <summary>What happened to one mutant.</summary>
internal enum Outcome
{
    /// <summary>Loaded, and gave what the original gave (the mutation touched nothing that matters).</summary>
    LoadedSame,
    /// <summary>Loaded with different weights than the original, no error: a silent wrong load.</summary>
    SilentWrong,
    /// <summary>
    /// Loaded with different results, but the mutation had recomputed the container's checksum (a
    /// tensor-bundle block CRC, a re-zipped member): no reader can see that without a signature, so it is
    /// reported, not gated.
    /// </summary>
    ForgedChecksum,
    /// <summary>Loaded (readers without a meaningful comparison: FromJson, Checkpoint.Latest).</summary>
    Loaded,
    /// <summary>Refused with one of the accepted exception types.</summary>
    Typed,
    /// <summary>Refused with an accepted type, but only after changing the model it loads into.</summary>
    Partial,
    /// <summary>
    /// Refused after changing the model, with the exception that says so
    /// (<c>WeightsPartlyLoadedException</c>: weights read in place, a failure after writing began): allowed, reported.
    /// </summary>
    PartialDeclared,
    /// <summary>An exception type outside the accepted list.</summary>
    Unexpected,
    /// <summary>The process died without a result line (native abort, stack overflow, signal).</summary>
    Abort,
    /// <summary>No result within the time limit.</summary>
    Hang,
    /// <summary>Peak memory over the budget (2 x (file size + model size) + slack), or over the hard cap.</summary>
    Memory,
}

/// <summary>The classification rules, in one place so that docs/security.md can cite them.</summary>
internal static class Outcomes
{
    /// <summary>
    /// The exception types a reader may throw for a bad file: <see cref="LayerwiseException"/> and its
    /// subclasses (<see cref="ModelFileException"/>, <see cref="LambdaLayerException"/>,
    /// <see cref="UnsupportedLayersException"/>, <see cref="ConfigException"/>, <see cref="UnknownLayerException"/>,
    /// <see cref="IncompatibleShapeException"/>, <see cref="CheckpointException"/>, <see cref="CorruptCheckpointException"/>,
    /// <see cref="CheckpointNotFoundException"/>, <see cref="CheckpointChecksumException"/>,
    /// <see cref="CheckpointMismatchException"/>) and <see cref="IOException"/> and its subclasses
    /// (<see cref="FileNotFoundException"/>, <see cref="DirectoryNotFoundException"/>, <see cref="EndOfStreamException"/>,
    /// <see cref="PathTooLongException"/>). Anything else (<see cref="InvalidDataException"/>,
    /// <see cref="ArgumentException"/>, <see cref="OutOfMemoryException"/>, <see cref="InvalidOperationException"/>,
    /// <see cref="System.Runtime.InteropServices.ExternalException"/>, ...) is Unexpected.
    /// </summary>
    public static bool IsAccepted(Exception e) => e is LayerwiseException or IOException;

    /// <summary>
    /// The exception a weight reader throws when it failed after it began writing into the model (weights-io's
    /// in-place LoadWeights), matched by name so that the harness needs no newer Runtime to build.
    /// </summary>
    public const string PartlyLoadedTypeName = "WeightsPartlyLoadedException";

    /// <summary>Whether <paramref name="e"/> is, or derives from, <see cref="PartlyLoadedTypeName"/>: the model was changed, and the exception says so.</summary>
    public static bool DeclaresPartialLoad(Exception e)
    {
        for (var t = e.GetType(); t is not null; t = t.BaseType)
            if (t.Name == PartlyLoadedTypeName) return true;
        return false;
    }

    /// <summary>Outcomes that fail the run unless the allow-list names them.</summary>
    public static bool IsDefect(Outcome o) => o is Outcome.SilentWrong or Outcome.Partial or Outcome.Unexpected or Outcome.Abort or Outcome.Hang or Outcome.Memory;

    /// <summary>The allow-list's spelling of an outcome.</summary>
    public static string Key(Outcome o) => o switch
    {
        Outcome.SilentWrong => "silent-wrong",
        Outcome.Partial => "partial",
        Outcome.PartialDeclared => "partial-declared",
        Outcome.Unexpected => "unexpected",
        Outcome.Abort => "abort",
        Outcome.Hang => "hang",
        Outcome.Memory => "memory",
        Outcome.Typed => "typed",
        Outcome.Loaded => "loaded",
        Outcome.ForgedChecksum => "forged-checksum",
        _ => "loaded-same",
    };

    /// <summary>A message with numbers and paths blurred, so that one defect is one finding.</summary>
    public static string Normalize(string message)
    {
        var m = Regex.Replace(message, "0x[0-9a-fA-F]+", "0x");
        m = Regex.Replace(m, "\"[^\"]*\"", "\"…\"");
        m = Regex.Replace(m, @"/[^\s,;:)]+", "/…");
        m = Regex.Replace(m, @"-?\d+(\.\d+)?", "N");
        return m.Length > 120 ? m[..120] : m;
    }
}

/// <summary>
/// The allow-list (bench/Fuzz/known-defects.txt): open defect classes the gate tolerates until the
/// reader fixes are merged. One entry a line: <c>reader-pattern outcome substring</c> (of the exception type, the message or the mutation),
/// where the reader pattern may end with <c>*</c> and the last field may be <c>*</c>; <c>#</c> starts a comment.
/// </summary>
internal sealed class AllowList(IReadOnlyList<(string Reader, string Outcome, string Match, string Line)> entries)
{
    /// <summary>The entries, as written.</summary>
    public IReadOnlyList<(string Reader, string Outcome, string Match, string Line)> Entries => entries;

    /// <summary>Reads the file; a missing file is an empty list.</summary>
    public static AllowList Load(string? path)
    {
        var list = new List<(string, string, string, string)>();
        if (path is not null && File.Exists(path))
            foreach (var raw in File.ReadLines(path))
            {
                var line = raw.Split('#')[0].Trim();
                if (line.Length == 0) continue;
                var parts = line.Split((char[]?)null, 3, StringSplitOptions.RemoveEmptyEntries);
                if (parts.Length < 3) throw new FormatException($"known-defects: \"{raw}\" needs three fields: reader outcome match");
                list.Add((parts[0], parts[1], parts[2], raw.Trim()));
            }
        return new AllowList(list);
    }

    /// <summary>The entry that tolerates this finding, or null.</summary>
    public string? Match(string reader, Outcome outcome, string type, string message)
    {
        foreach (var (r, o, match, line) in entries)
        {
            bool readerOk = r == "*" || r == reader || (r.EndsWith('*') && reader.StartsWith(r[..^1], StringComparison.Ordinal));
            if (!readerOk || o != Outcomes.Key(outcome)) continue;
            if (match == "*" || type.Contains(match, StringComparison.Ordinal) || message.Contains(match, StringComparison.Ordinal)) return line;
        }
        return null;
    }
}
