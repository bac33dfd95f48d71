using System.Diagnostics;
using System.Text;
using System.Text.Json.Nodes;
using Layerwise;
using Layerwise.Conformance;

// Conformance report: every Keras model file under the given folders, loaded as a user would.
//   dotnet run -c Release --project bench/Conformance -- --source dl4j=/path/to/dl4j-test-resources/src/main/resources/modelimport/keras \
//        --source fixtures=../shared/fixtures --out bench/Conformance/report.md
// Each model runs in its own child process (a native abort or a hang is then a row, not the end of
// the report); --in-process is faster and fine when nothing aborts.
if (args.Length >= 2 && args[0] == "--one")
{
    TorchSharp.torch.set_num_threads(1);
    var candidate = new Candidate("", args[2], args[2], Enum.Parse<CandidateKind>(args[1]), args.Length > 3 ? args[3] : null, null);
    Console.WriteLine(Probe.Run(candidate).ToJson().ToJsonString());
    return 0;
}

// --repeat N FILE: loads one model N times in this process and predicts the same input each time;
// every run must give the same bits (a loader that left memory unset would not).
if (args.Length == 3 && args[0] == "--repeat")
{
    TorchSharp.torch.set_num_threads(1);
    return Repeat.Run(int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture), args[2]);
}

if (args.Length == 1 && args[0] == "--onednn-sweep") return OneDnnRepro.Sweep();
if (args.Length >= 1 && args[0] == "--onednn-characterize") return OneDnnCharacterize.Run(args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 400);
if (args.Length == 1 && args[0] == "--onednn-cost") return OneDnnCost.Run(5);
if (args.Length == 2 && args[0] == "--onednn-repro") return OneDnnRepro.Run(args[1] == "contiguous");

var sources = new List<(string Name, string Root)>();
string outPath = "conformance-report.md";
bool inProcess = false;
for (int i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--source" when i + 1 < args.Length:
            var parts = args[++i].Split('=', 2);
            if (parts.Length != 2 || !Directory.Exists(parts[1])) { Console.Error.WriteLine($"--source NAME=DIR: \"{args[i]}\" is not an existing folder"); return 2; }
            sources.Add((parts[0], Path.GetFullPath(parts[1])));
            break;
        case "--out" when i + 1 < args.Length: outPath = args[++i]; break;
        case "--in-process": inProcess = true; break;
        default: Console.Error.WriteLine($"unknown argument \"{args[i]}\"; usage: --source NAME=DIR ... [--out report.md] [--in-process]"); return 2;
    }
}
if (sources.Count == 0) { Console.Error.WriteLine("give at least one --source NAME=DIR"); return 2; }
if (inProcess) TorchSharp.torch.set_num_threads(1);

var rows = new List<(Candidate Candidate, ProbeResult Result)>();
foreach (var (name, root) in sources)
{
    foreach (var candidate in Candidate.Scan(name, root))
    {
        if (!candidate.IsModel) { rows.Add((candidate, new("not a model", candidate.Kind.ToString(), "", ""))); continue; }
        var result = inProcess ? Probe.Run(candidate) : RunIsolated(candidate);
        Backend.ClearSession();
        rows.Add((candidate, result));
        Console.WriteLine($"{result.Status,-8} {name}/{candidate.Display} {result.Detail} {result.OutputCheck}");
    }
}
File.WriteAllText(outPath, Report(rows));
Console.WriteLine($"wrote {outPath}");
foreach (var line in Summary(rows)) Console.WriteLine(line);
return 0;

static ProbeResult RunIsolated(Candidate candidate)
{
    var self = Environment.ProcessPath!;
    var start = new ProcessStartInfo(self) { RedirectStandardOutput = true, RedirectStandardError = true };
    if (Path.GetFileNameWithoutExtension(self) == "dotnet") start.ArgumentList.Add(typeof(Candidate).Assembly.Location);
    foreach (var a in new[] { "--one", candidate.Kind.ToString(), candidate.Path }) start.ArgumentList.Add(a);
    if (candidate.ConfigPath is not null) start.ArgumentList.Add(candidate.ConfigPath);
    using var process = Process.Start(start)!;
    var stdout = process.StandardOutput.ReadToEndAsync();
    var stderr = process.StandardError.ReadToEndAsync();
    if (!process.WaitForExit(TimeSpan.FromMinutes(3)))
    {
        process.Kill(entireProcessTree: true);
        return new("failed", "hang: no result after 3 minutes", "", "");
    }
    var last = stdout.Result.Split('\n', StringSplitOptions.RemoveEmptyEntries).LastOrDefault();
    if (process.ExitCode == 0 && last is not null && last.StartsWith('{')) return ProbeResult.FromJson(JsonNode.Parse(last)!);
    var error = stderr.Result.Split('\n', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault() ?? "";
    return new("failed", $"process ended with exit code {process.ExitCode}: {error}", "", "");
}

static IEnumerable<string> Summary(List<(Candidate Candidate, ProbeResult Result)> rows)
{
    foreach (var group in rows.GroupBy(r => r.Candidate.Source))
    {
        var models = group.Where(r => r.Candidate.IsModel).ToList();
        int loaded = models.Count(r => r.Result.Status == "loaded");
        int refused = models.Count(r => r.Result.Status == "refused");
        int failed = models.Count(r => r.Result.Status == "failed");
        int checkedOutputs = models.Count(r => r.Result.OutputCheck != "");
        int matched = models.Count(r => r.Result.OutputCheck.StartsWith("match", StringComparison.Ordinal));
        int skipped = group.Count() - models.Count;
        double share = models.Count == 0 ? 0 : 100.0 * loaded / models.Count;
        yield return $"{group.Key}: {models.Count} models: {loaded} loaded ({share:0.0} %), {refused} refused, {failed} failed; " +
                     $"outputs checked {checkedOutputs}, matched {matched}; {skipped} files not models (weights only or data)";
    }
}

static string Report(List<(Candidate Candidate, ProbeResult Result)> rows)
{
    var text = new StringBuilder();
    text.AppendLine("# Keras conformance report").AppendLine();
    text.AppendLine($"Written {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC by `bench/Conformance`. Loaded = `Model.Load` (or `FromJson` + `LoadWeights`) succeeded and");
    text.AppendLine("a prediction on 4 random inputs (unknown dimensions = 8) is finite; refused = a typed Layerwise exception");
    text.AppendLine("naming the cause; failed = anything else. Output check: against Keras' own outputs where the case ships them.").AppendLine();
    foreach (var line in Summary(rows)) text.AppendLine("- " + line);
    text.AppendLine();
    var reasons = rows.Where(r => r.Result.Status == "refused")
        .GroupBy(r => ShortReason(r.Result.Detail)).OrderByDescending(g => g.Count());
    text.AppendLine("## Refusals by reason").AppendLine().AppendLine("| count | reason |").AppendLine("| ---: | --- |");
    foreach (var g in reasons) text.AppendLine($"| {g.Count()} | {g.Key} |");
    text.AppendLine().AppendLine("## Every file").AppendLine();
    text.AppendLine("| source | file | Keras | layers | result | detail | output check |").AppendLine("| --- | --- | --- | --- | --- | --- | --- |");
    foreach (var (c, r) in rows)
        text.AppendLine($"| {c.Source} | {c.Display} | {c.KerasVersion} | {r.Layers} | {r.Status} | {r.Detail} | {r.OutputCheck} |");
    return text.ToString();
}

/// <summary>Groups refusals by their cause: the message up to the first quoted file path is dropped.</summary>
static string ShortReason(string detail)
{
    var colon = detail.IndexOf("): ", StringComparison.Ordinal);
    var reason = colon >= 0 ? detail[(colon + 3)..] : detail;
    var cut = reason.IndexOfAny(['.', ';']);
    return cut > 20 ? reason[..cut] : reason;
}
