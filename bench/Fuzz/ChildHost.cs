using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using Layerwise.Callbacks;
using Layerwise.Models;
using static TorchSharp.torch;

namespace Layerwise.Fuzz;

/// <summary>
/// The child process: reads one request a line from stdin (<c>reader TAB path TAB target</c>), runs
/// that reader on the file, and writes one result line to stdout:
/// <c>@@R TAB status TAB exception type TAB digest TAB peak KB TAB baseline KB TAB model bytes TAB ms TAB message</c>.
/// Status is OK, TYPED (an accepted exception type, see <see cref="Outcomes.IsAccepted"/>), UNEXPECTED,
/// PARTIAL (a typed exception from a weight reader that had already changed the model) or PARTIAL-DECLARED
/// (the same, with the exception that declares it, <see cref="Outcomes.PartlyLoadedTypeName"/>). Peak
/// memory is the process' VmHWM, reset before each input through /proc/self/clear_refs.
/// </summary>
internal static class ChildHost
{
    /// <summary>The prefix of result lines (anything else on stdout is ignored by the parent).</summary>
    public const string ResultPrefix = "@@R";

    /// <summary>Serves requests until stdin closes.</summary>
    public static int Run()
    {
        var results = new StreamWriter(Console.OpenStandardOutput()) { AutoFlush = true };
        Console.SetOut(TextWriter.Null);
        Output.Writer = TextWriter.Null;
        set_num_threads(1);
        using (zeros(1)) { }   // libtorch loaded before the first measurement
        string? line;
        while ((line = Console.In.ReadLine()) is not null)
        {
            var parts = line.Split('\t');
            results.WriteLine(RunOne(parts[0], parts[1], parts.Length > 2 && parts[2].Length > 0 ? parts[2] : null));
        }
        return 0;
    }

    /// <summary>Runs one reader on one input and formats the result line.</summary>
    static string RunOne(string reader, string path, string? target)
    {
        long prepareStart = Stopwatch.GetTimestamp();
        // Model.FromJson takes text the caller already holds: read it before the peak is reset, so the
        // measurement is FromJson's and not this harness' File.ReadAllText (a UTF-16 copy twice the file's size).
        string? jsonText = reader == "from-json" ? File.ReadAllText(path) : null;
        GC.Collect();
        GC.WaitForPendingFinalizers();
        ResetPeak();
        long prepareTicks = Stopwatch.GetTimestamp() - prepareStart;
        long baseline = ReadStatusKb("VmRSS");
        var watch = Stopwatch.StartNew();
        string status, type = "", digest = "", message = "";
        long modelBytes = 0;
        Model? model = null;
        string? before = null;
        try
        {
            using var scope = NewDisposeScope();
            switch (reader)
            {
                case "ckpt-list":
                    digest = Hash(string.Join("\n", Checkpoint.ListVariables(path)));
                    break;
                case "ckpt-latest":
                    var latest = Checkpoint.Latest(path);
                    digest = Hash(latest is null ? "(null)" : Path.GetRelativePath(path, latest));
                    break;
                case "from-json":
                    model = Model.FromJson(jsonText!);
                    // FromJson initializes weights at random: the architecture is what it gives.
                    digest = Hash(string.Join("\n", model.Weights.Select(w => $"{w.Path} {string.Join(",", w.Shape)}")));
                    break;
                case "backup-state":
                    model = Model.Load(target!);
                    before = Digest(model);
                    var (x, y) = BackupData(model);
                    var history = model.Fit(x, y, batchSize: 8, epochs: 1, verbose: 0, callbacks: [new BackupAndRestore(path, deleteCheckpoint: false)]);
                    using (var draw = randn(4)) digest = Hash(Digest(model) + string.Join(",", draw.data<float>().ToArray()) + history.Epochs.Count);
                    // A damaged backup is refused by design without an exception: BackupAndRestore moves it into
                    // corrupt-*, prints a WARNING and trains from the first epoch (docs/security-readers.md).
                    if (Directory.EnumerateDirectories(path, "corrupt-*").Any())
                        (type, message) = ("BackupAndRestore.Quarantined", "the damaged backup was moved aside; training started from the first epoch");
                    break;
                case var r when r.StartsWith("weights-", StringComparison.Ordinal):
                    model = Model.Load(target!);
                    before = Digest(model);
                    model.LoadWeights(path);
                    digest = Digest(model);
                    break;
                default:
                    model = Model.Load(path);
                    digest = Digest(model);
                    break;
            }
            if (model is not null) modelBytes = model.Weights.Sum(w => w.NumElements * w.Value.ElementSize);
            status = type.Length > 0 ? "TYPED" : "OK";
        }
        catch (Exception e)
        {
            type = e.GetType().FullName ?? e.GetType().Name;
            message = e.Message;
            status = Outcomes.IsAccepted(e) ? "TYPED" : "UNEXPECTED";
            if (status == "TYPED" && before is not null && model is not null && Digest(model) != before)
                status = Outcomes.DeclaresPartialLoad(e) ? "PARTIAL-DECLARED" : "PARTIAL";
            if (status == "UNEXPECTED") message += " | at " + (e.StackTrace?.Split('\n').FirstOrDefault()?.Trim() ?? "");
        }
        long peak = ReadStatusKb("VmHWM");
        var clean = message.Replace('\t', ' ').Replace('\n', ' ').Replace('\r', ' ');
        if (clean.Length > 600) clean = clean[..600] + "...";
        return $"{ResultPrefix}\t{status}\t{type}\t{digest}\t{peak}\t{baseline}\t{modelBytes}\t{watch.ElapsedMilliseconds}\t{clean}\t{Stopwatch.GetElapsedTime(0, prepareTicks).TotalMilliseconds:0.000}";
    }

    /// <summary>Zero inputs and targets shaped for the model (BackupAndRestore resumes a Fit).</summary>
    static (Tensor X, Tensor Y) BackupData(Model model)
    {
        var input = model.Layers[0] is { } first && first.Weights.Count > 0 ? first.Weights[0].Shape[0] : 16;
        var output = model.Weights[^1].Shape[^1];
        return (zeros(8, input), zeros(8, output));
    }

    /// <summary>A hash of every weight: name, shape and bytes.</summary>
    public static string Digest(Model model)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var w in model.Weights)
        {
            hash.AppendData(Encoding.UTF8.GetBytes($"{w.Path}:{string.Join(",", w.Shape)}:{w.Value.dtype};"));
            using var cpu = w.ToCpu();
            using var contiguous = cpu.contiguous();
            hash.AppendData(contiguous.bytes);
        }
        return Convert.ToHexString(hash.GetHashAndReset())[..16];
    }

    static string Hash(string text) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..16];

    /// <summary>Resets VmHWM to the current RSS (Linux 4.0+); ignored where /proc does not allow it.</summary>
    static void ResetPeak()
    {
        try { File.WriteAllText("/proc/self/clear_refs", "5"); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }

    /// <summary>A kB field of /proc/self/status (VmRSS, VmHWM); 0 where there is no /proc.</summary>
    public static long ReadStatusKb(string field, int pid = 0)
    {
        try
        {
            foreach (var line in File.ReadLines(pid == 0 ? "/proc/self/status" : $"/proc/{pid}/status"))
                if (line.StartsWith(field + ":", StringComparison.Ordinal))
                    return long.Parse(line.AsSpan(field.Length + 1).Trim().TrimEnd("kB").Trim());
        }
        catch (IOException) { }
        return 0;
    }
}
