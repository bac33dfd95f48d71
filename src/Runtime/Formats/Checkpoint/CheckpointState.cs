using System.Text;

namespace Layerwise.Formats.Checkpoint;

/// <summary>
/// The <c>checkpoint</c> file of a checkpoint directory (TensorFlow's <c>CheckpointState</c> in
/// protobuf text format): the latest prefix and all kept prefixes, relative to the directory.
/// <code>
/// model_checkpoint_path: "cp-0050.ckpt"
/// all_model_checkpoint_paths: "cp-0050.ckpt"
/// </code>
/// </summary>
public sealed record CheckpointState(string ModelCheckpointPath, IReadOnlyList<string> AllModelCheckpointPaths)
{
    /// <summary>The state file's name in the checkpoint directory: <c>checkpoint</c>.</summary>
    public const string FileName = "checkpoint";

    /// <summary>Reads <c>dir/checkpoint</c>; null when it does not exist or names no checkpoint.</summary>
    public static CheckpointState? Read(string directory)
    {
        var path = Path.Combine(directory, FileName);
        if (!File.Exists(path)) return null;
        var info = FileLength.Resolve(path);
        if (RegularFile.Problem(path) is { } problem)
            throw new CorruptCheckpointException($"Checkpoint state file \"{path}\" cannot be read: {problem}.", path);
        if (info.Length > 16 << 20)
            throw new CorruptCheckpointException($"Checkpoint state file \"{path}\" is {info.Length} bytes long; a state file names a few paths.", path);
        string? latest = null;
        var all = new List<string>();
        int lineNumber = 0;
        foreach (var raw in File.ReadLines(path))
        {
            lineNumber++;
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#')) continue;
            int colon = line.IndexOf(':');
            if (colon < 0) throw Bad(path, lineNumber, "expected `name: \"value\"`");
            var name = line[..colon].Trim();
            var value = Unquote(line[(colon + 1)..].Trim(), path, lineNumber);
            if (name == "model_checkpoint_path") latest = value;
            else if (name == "all_model_checkpoint_paths") all.Add(value);
            // Other fields (timestamps) are kept by TensorFlow but not needed here.
        }
        return latest is null ? null : new CheckpointState(latest, all);
    }

    /// <summary>Writes <c>dir/checkpoint</c> atomically (beside, flushed, renamed).</summary>
    public void Write(string directory)
    {
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, FileName);
        var text = new StringBuilder();
        text.Append("model_checkpoint_path: ").Append(Quote(ModelCheckpointPath)).Append('\n');
        foreach (var p in AllModelCheckpointPaths) text.Append("all_model_checkpoint_paths: ").Append(Quote(p)).Append('\n');
        var temp = BundleFiles.TempPath(path);
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write))
            {
                stream.Write(Encoding.UTF8.GetBytes(text.ToString()));
                stream.Flush(flushToDisk: true);
            }
            File.Move(temp, path, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
    }

    static string Quote(string value)
    {
        var sb = new StringBuilder("\"");
        foreach (var c in value)
        {
            switch (c)
            {
                case '"': sb.Append("\\\""); break;
                case '\\': sb.Append("\\\\"); break;
                case '\n': sb.Append("\\n"); break;
                default: sb.Append(c); break;
            }
        }
        return sb.Append('"').ToString();
    }

    static string Unquote(string text, string path, int line)
    {
        if (text.Length < 2 || text[0] != '"' || text[^1] != '"') throw Bad(path, line, "expected a double-quoted string");
        var sb = new StringBuilder();
        for (int i = 1; i < text.Length - 1; i++)
        {
            char c = text[i];
            if (c != '\\') { sb.Append(c); continue; }
            if (++i >= text.Length - 1) throw Bad(path, line, "a backslash ends the string");
            c = text[i];
            sb.Append(c switch { 'n' => '\n', 't' => '\t', 'r' => '\r', _ => c });
        }
        return sb.ToString();
    }

    static CorruptCheckpointException Bad(string path, int line, string what) =>
        new($"Checkpoint state file \"{path}\", line {line}: {what}.", path);
}
