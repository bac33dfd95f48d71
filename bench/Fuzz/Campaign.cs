using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;

namespace Layerwise.Fuzz;

/// <summary>The command-line options of a run.</summary>
internal sealed record Options(int PerReader, string[] Readers, int Seed, int Jobs, int TimeoutSeconds, string WorkDir,
                               string? AllowListPath, long SlackMb, long HardCapMb, bool Keep, bool Ci, string? ReportPath, string ScratchDir);

/// <summary>One distinct finding: a defect class on one reader with one exception type and message shape.</summary>
internal sealed class Finding(string reader, Outcome outcome, string type, string shape)
{
    /// <summary>The reader.</summary>
    public string Reader => reader;
    /// <summary>The class.</summary>
    public Outcome Outcome => outcome;
    /// <summary>The exception type (empty for abort/hang/memory/silent-wrong).</summary>
    public string Type => type;
    /// <summary>The normalized message.</summary>
    public string Shape => shape;
    /// <summary>How many mutants showed it.</summary>
    public int Count;
    /// <summary>Up to three examples: mutant index, seed, mutation, message.</summary>
    public List<string> Examples { get; } = [];
    /// <summary>The allow-list line that tolerates it, or null (then it fails the gate).</summary>
    public string? AllowedBy;
}

/// <summary>
/// A fuzz run: for each reader, loads the unmutated seeds (their digests are the reference), then
/// makes and runs the mutants in child processes, classifies every outcome, and reports counts per
/// reader and the distinct findings, checked against the allow-list.
/// </summary>
internal sealed class Campaign(Options options)
{
    readonly ConcurrentDictionary<string, Finding> findings = new();
    readonly ConcurrentDictionary<(string Reader, Outcome Outcome), int> counts = new();
    readonly ConcurrentDictionary<string, (int Written, int Foreign)> silentBySource = new();
    readonly ConcurrentDictionary<string, double> readerSeconds = new();
    readonly AllowList allow = AllowList.Load(options.AllowListPath);
    // Where a reader's time goes (ticks summed over all jobs): making mutants, the child's reader call, the rest of a round trip.
    long prepareTicks, childMs, roundTripTicks, childPrepareMicros;

    /// <summary>Runs everything; returns the process exit code (1 when a defect is not allow-listed).</summary>
    public int Run()
    {
        var total = Stopwatch.StartNew();
        var fixtures = Seeds.FindFixtures();
        var seedDir = Path.Combine(options.WorkDir, "seeds");
        if (Directory.Exists(options.WorkDir)) Directory.Delete(options.WorkDir, recursive: true);
        Directory.CreateDirectory(seedDir);
        Console.WriteLine($"fuzz: seed {options.Seed}, {options.PerReader} mutants per reader, {options.Jobs} child process(es), timeout {options.TimeoutSeconds} s, " +
                          $"fixtures {(fixtures ?? "absent (only Layerwise-written seeds)")}, work {options.WorkDir}");
        Seeds.Write(seedDir);
        WriteHostileFiles(seedDir);
        Console.WriteLine($"seeds written in {total.Elapsed.TotalSeconds:0.0} s");
        var runners = Enumerable.Range(0, options.Jobs).Select(_ => new ChildRunner(options.TimeoutSeconds * 1000, options.HardCapMb * 1024)).ToArray();
        try
        {
            foreach (var name in options.Readers)
            {
                RunReader(Readers.Get(name), seedDir, fixtures, runners);
                // A long run's report so far, after every reader: hours of results are not lost to an interruption.
                if (name != options.Readers[^1]) WriteReport(total.Elapsed, done: false);
            }
        }
        finally
        {
            foreach (var r in runners) r.Dispose();
            if (Directory.Exists(options.ScratchDir)) Directory.Delete(options.ScratchDir, recursive: true);
        }
        return Report(total.Elapsed);
    }

    void RunReader(Reader reader, string seedDir, string? fixtures, ChildRunner[] runners)
    {
        var watch = Stopwatch.StartNew();
        // Every seed keeps its place (mutant i mutates seed i % count, also when reproducing one);
        // a seed that does not load unmutated is a finding of its own and its mutants are skipped.
        var seeds = new List<(Seed Seed, ChildResult? Reference)>();
        foreach (var seed in Seeds.For(reader.Name, seedDir, fixtures))
        {
            var (path, _) = MakeInput(reader, seed, Path.Combine(options.WorkDir, "ref", reader.Name, seeds.Count.ToString()), null);
            var reference = runners[0].Run(reader.Name, path, seed.Target);
            seeds.Add((seed, reference.Status == "OK" ? reference : null));
            if (reference.Status != "OK") Record(reader, seed, -1, "(unmutated seed)", reference, Classify(reader, reference, null, 0));
        }
        if (seeds.All(s => s.Reference is null))
        {
            Console.WriteLine($"{reader.Name}: no seed loads; skipped");
            return;
        }
        int next = -1;
        (prepareTicks, childMs, roundTripTicks, childPrepareMicros) = (0, 0, 0, 0);
        var threads = runners.Select(runner => new Thread(() =>
        {
            for (int i; (i = Interlocked.Increment(ref next)) < options.PerReader;)
                if (seeds[i % seeds.Count] is { Reference: { } reference } s) RunMutant(reader, s.Seed, reference, i, runner);
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());
        int handMade = RunHostileFiles(reader, seeds, runners[0]);
        double mutantsPerSecond = options.PerReader / watch.Elapsed.TotalSeconds;
        readerSeconds[reader.Name] = watch.Elapsed.TotalSeconds;
        Console.WriteLine($"{reader.Name,-20} {options.PerReader} mutants of {seeds.Count} seeds{(handMade > 0 ? $" + {handMade} hand-made" : "")} in {watch.Elapsed.TotalSeconds:0.0} s " +
                          $"({mutantsPerSecond:0.0}/s; per mutant: making {Stopwatch.GetElapsedTime(0, prepareTicks).TotalMilliseconds / options.PerReader:0.00} ms, " +
                          $"reader {(double)childMs / options.PerReader:0.00} ms, child's clean-up before it {childPrepareMicros / 1000.0 / options.PerReader:0.00} ms, child round trip {Stopwatch.GetElapsedTime(0, roundTripTicks).TotalMilliseconds / options.PerReader:0.00} ms): " +
                          string.Join(", ", Enum.GetValues<Outcome>().Select(o => (o, n: counts.GetValueOrDefault((reader.Name, o)))).Where(x => x.n > 0).Select(x => $"{Outcomes.Key(x.o)} {x.n}")));
    }

    /// <summary>
    /// The hand-made hostile files of this reader (hostile_h5.py: link cycles, external links, a huge
    /// declared dataset, a huge attribute), each run once against the MLP seed it was made from.
    /// </summary>
    int RunHostileFiles(Reader reader, List<(Seed Seed, ChildResult? Reference)> seeds, ChildRunner runner)
    {
        var dir = Path.Combine(options.WorkDir, "hostile");
        if (!Directory.Exists(dir) || seeds.FirstOrDefault(s => s.Seed.Name.StartsWith("mlp/", StringComparison.Ordinal)) is not { Reference: { } reference } basis)
            return 0;
        var files = Directory.GetFiles(dir, reader.Name + "__*").OrderBy(f => f, StringComparer.Ordinal).ToList();
        foreach (var file in files)
        {
            var name = Path.GetFileName(file)[(reader.Name.Length + 2)..];
            var result = runner.Run(reader.Name, file, basis.Seed.Target);
            var outcome = Classify(reader, result, reference, new FileInfo(file).Length);
            Record(reader, new Seed("hostile/" + name, file, null, basis.Seed.Target, true), HandMade, $"hand-made: {name}", result, outcome);
        }
        return files.Count;
    }

    /// <summary>The index findings of hand-made files carry (-1: an unmutated seed that does not load).</summary>
    const int HandMade = -2;

    /// <summary>Writes the hand-made hostile HDF5 files with h5py when Debian's python3-h5py is there.</summary>
    void WriteHostileFiles(string seedDir)
    {
        var script = Path.Combine(AppContext.BaseDirectory, "hostile_h5.py");
        var dir = Path.Combine(options.WorkDir, "hostile");
        Directory.CreateDirectory(dir);
        var info = new ProcessStartInfo("/usr/bin/python3") { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var a in new[] { script, Path.Combine(seedDir, "mlp", "model.h5"), Path.Combine(seedDir, "mlp", "weights.weights.h5"), dir }) info.ArgumentList.Add(a);
        try
        {
            using var p = Process.Start(info)!;
            var error = p.StandardError.ReadToEnd();
            p.WaitForExit();
            if (p.ExitCode != 0)
            {
                Console.WriteLine($"hand-made hostile files skipped (python3 with h5py needed): {error.Trim().Split('\n').LastOrDefault()}");
                Directory.Delete(dir, recursive: true);
            }
        }
        catch (System.ComponentModel.Win32Exception)
        {
            Console.WriteLine("hand-made hostile files skipped: no /usr/bin/python3");
            Directory.Delete(dir, recursive: true);
        }
    }

    void RunMutant(Reader reader, Seed seed, ChildResult reference, int index, ChildRunner runner)
    {
        // Made in the scratch folder (tmpfs where there is one: writing each mutant to a busy disk took more time
        // than reading it); kept under the work folder only when it shows something.
        var dir = Path.Combine(options.ScratchDir, reader.Name, index.ToString());
        long start = Stopwatch.GetTimestamp();
        var (path, fileBytes, mutation) = MakeMutant(reader, seed, index, dir);
        long made = Stopwatch.GetTimestamp();
        var result = runner.Run(reader.Name, path, seed.Target);
        Interlocked.Add(ref prepareTicks, made - start);
        Interlocked.Add(ref roundTripTicks, Stopwatch.GetTimestamp() - made);
        Interlocked.Add(ref childMs, result.Milliseconds);
        Interlocked.Add(ref childPrepareMicros, (long)(result.PrepareMilliseconds * 1000));
        var outcome = Classify(reader, result, reference, fileBytes);
        if (outcome == Outcome.SilentWrong && ForgesChecksum(mutation, seed.WrittenByLayerwise)) outcome = Outcome.ForgedChecksum;
        if (outcome is Outcome.Abort or Outcome.Hang && !options.Ci)
        {
            // Replayed alone in a fresh child, so that state left by earlier inputs cannot be blamed on this one.
            using var fresh = new ChildRunner(options.TimeoutSeconds * 1000, options.HardCapMb * 1024);
            var replay = fresh.Run(reader.Name, path, seed.Target);
            var again = Classify(reader, replay, reference, fileBytes);
            if (again != outcome) result = result with { Message = result.Message + $" (replayed alone: {Outcomes.Key(again)} {replay.Type} {replay.Message})" };
        }
        bool keep = Record(reader, seed, index, mutation, result, outcome) || options.Keep;
        if (keep) CopyDirectory(dir, Path.Combine(options.WorkDir, "m", reader.Name, index.ToString()));
        Directory.Delete(dir, recursive: true);
    }

    /// <summary>
    /// Whether the mutation recomputed the only checksum that guards it: a tensor-bundle index block's CRC,
    /// or a zip member's CRC in a foreign archive. Files Layerwise writes are held to more (a content hash
    /// of their own can see a re-zipped member), so a re-zipped Layerwise archive is not excused.
    /// </summary>
    static bool ForgesChecksum(string mutation, bool writtenByLayerwise) =>
        mutation.Contains("index-block@", StringComparison.Ordinal)
        || (!writtenByLayerwise && (mutation.Contains("zip:member", StringComparison.Ordinal) || mutation.Contains("zip:rename", StringComparison.Ordinal)));

    /// <summary>Makes mutant <paramref name="index"/> of a reader in <paramref name="dir"/>: its path, size and what was done.</summary>
    public (string Path, long Bytes, string Mutation) MakeMutant(Reader reader, Seed seed, int index, string dir)
    {
        var mutator = new FormatMutator(new Random(MutantSeed(reader, index)));
        var (path, bytes) = MakeInput(reader, seed, dir, mutator);
        return (path, bytes, mutator.Bytes.Log.ToString().Trim());
    }

    /// <summary>The random seed of mutant <paramref name="index"/> of a reader: the same run seed gives the same mutants.</summary>
    int MutantSeed(Reader reader, int index)
    {
        ulong h = 14695981039346656037UL;
        foreach (var c in $"{options.Seed}/{reader.Name}/{index}") h = (h ^ c) * 1099511628211UL;
        return (int)(h & 0x7FFF_FFFF);
    }

    /// <summary>Copies the seed to <paramref name="dir"/>, mutates the copy; returns the path to hand the reader and the input's size.</summary>
    public static (string Path, long Bytes) MakeInput(Reader reader, Seed seed, string dir, FormatMutator? mutator)
    {
        if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
        Directory.CreateDirectory(dir);
        var copy = Path.Combine(dir, Path.GetFileName(seed.Root.TrimEnd('/')));
        if (Directory.Exists(seed.Root)) CopyDirectory(seed.Root, copy);
        else File.WriteAllBytes(copy, File.ReadAllBytes(seed.Root));
        if (mutator is not null) reader.MutateCopy(mutator, copy, seed);
        long size = Directory.Exists(copy)
            ? new DirectoryInfo(copy).EnumerateFiles("*", SearchOption.AllDirectories).Sum(f => f.Length)
            : new FileInfo(copy).Length;
        return (seed.Entry is null ? copy : Path.Combine(copy, seed.Entry), size);
    }

    static void CopyDirectory(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var f in Directory.GetFiles(from)) File.WriteAllBytes(Path.Combine(to, Path.GetFileName(f)), File.ReadAllBytes(f));
        foreach (var d in Directory.GetDirectories(from)) CopyDirectory(d, Path.Combine(to, Path.GetFileName(d)));
    }

    Outcome Classify(Reader reader, ChildResult r, ChildResult? reference, long fileBytes)
    {
        switch (r.Status)
        {
            case "ABORT": return Outcome.Abort;
            case "HANG": return Outcome.Hang;
            case "MEMORY": return Outcome.Memory;
        }
        // The model the unmutated seed describes: a mutant that makes a bigger model out of a file of the
        // same size (a declared shape lied about, units: 1e8) is the blow-up this class is for.
        long modelBytes = reference?.ModelBytes ?? r.ModelBytes;
        long budgetKb = (2 * (fileBytes + modelBytes)) / 1024 + options.SlackMb * 1024;
        if (r.PeakKb - r.BaselineKb > budgetKb) return Outcome.Memory;
        return r.Status switch
        {
            "OK" when !reader.ComparesWeights || reference is null => Outcome.Loaded,
            "OK" => r.Digest == reference.Digest ? Outcome.LoadedSame : Outcome.SilentWrong,
            "TYPED" => Outcome.Typed,
            "PARTIAL" => Outcome.Partial,
            "PARTIAL-DECLARED" => Outcome.PartialDeclared,
            _ => Outcome.Unexpected,
        };
    }

    /// <summary>Counts the outcome and records a finding; true when the mutant is worth keeping on disk.</summary>
    bool Record(Reader reader, Seed seed, int index, string mutation, ChildResult r, Outcome outcome)
    {
        counts.AddOrUpdate((reader.Name, outcome), 1, (_, n) => n + 1);
        if (outcome == Outcome.SilentWrong)
            silentBySource.AddOrUpdate(reader.Name, seed.WrittenByLayerwise ? (1, 0) : (0, 1),
                                       (_, c) => seed.WrittenByLayerwise ? (c.Written + 1, c.Foreign) : (c.Written, c.Foreign + 1));
        if (!Outcomes.IsDefect(outcome) && index != -1) return false;
        var extra = outcome == Outcome.Memory && r.PeakKb > 0 ? $"peak +{(r.PeakKb - r.BaselineKb) / 1024} MB; " : "";
        var shape = outcome switch
        {
            Outcome.SilentWrong => index == HandMade ? "hand-made hostile file loaded with other weights" : seed.WrittenByLayerwise ? "written by Layerwise" : "foreign file",
            Outcome.Abort or Outcome.Hang => Outcomes.Normalize(r.Message.Split("; stderr:")[0] + " " + r.Message.Split("; stderr:").Last()),
            // One unexpected type thrown from one place is one defect, whatever the message says (the key, the number).
            Outcome.Unexpected when r.Message.Contains(" | at ", StringComparison.Ordinal) =>
                "thrown at " + r.Message[(r.Message.IndexOf(" | at ", StringComparison.Ordinal) + 6)..].Split(" in /")[0].Replace("at ", ""),
            _ => Outcomes.Normalize(r.Message),
        };
        var key = $"{reader.Name}|{outcome}|{r.Type}|{shape}";
        var finding = findings.GetOrAdd(key, _ => new Finding(reader.Name, outcome, r.Type, shape)
        {
            AllowedBy = outcome == Outcome.SilentWrong && !seed.WrittenByLayerwise && !reader.ForeignFilesChecked
                ? "(not gated: a foreign file in a format without checksums over what was changed; docs/security.md)"
                : index == -1 ? null : allow.Match(reader.Name, outcome, r.Type, $"{r.Message} {shape} {mutation}"),
        });
        lock (finding)
        {
            finding.Count++;
            if (finding.Examples.Count >= 3) return false;
            finding.Examples.Add($"mutant {index} of seed {seed.Name}: {(mutation.Length > 300 ? mutation[..300] + "…" : mutation)} → {extra}{r.Type} {r.Message}".Trim());
        }
        return true;
    }

    int Report(TimeSpan elapsed)
    {
        var (report, path, failing) = WriteReport(elapsed, done: true);
        Console.WriteLine();
        Console.WriteLine(report);
        Console.WriteLine($"report: {path}; mutants that showed a finding are kept under {Path.Combine(options.WorkDir, "m")}");
        Console.WriteLine(failing == 0 ? "fuzz: PASSED (no defect outside the allow-list)" : $"fuzz: FAILED ({failing} finding(s) not in the allow-list)");
        return failing == 0 ? 0 : 1;
    }

    /// <summary>Writes the report (the readers run so far, when not <paramref name="done"/>); returns its text, path and failing findings.</summary>
    (string Report, string Path, int Failing) WriteReport(TimeSpan elapsed, bool done)
    {
        var text = new StringBuilder();
        var finished = done ? options.Readers : options.Readers.Where(r => counts.Keys.Any(k => k.Reader == r)).ToArray();
        text.AppendLine($"# Fuzz run: seed {options.Seed}, {options.PerReader} mutants per reader, {elapsed.TotalMinutes:0.0} min" +
                        (done ? "" : $" so far ({finished.Length} of {options.Readers.Length} readers done; running)"));
        text.AppendLine();
        var columns = Enum.GetValues<Outcome>();
        text.AppendLine("| reader | checksums | " + string.Join(" | ", columns.Select(Outcomes.Key)) + " | silent-wrong (Layerwise / foreign) | minutes |");
        text.AppendLine("| --- | --- | " + string.Join(" | ", columns.Select(_ => "---:")) + " | ---: | ---: |");
        foreach (var name in finished)
        {
            var reader = Readers.Get(name);
            var s = silentBySource.GetValueOrDefault(name);
            text.AppendLine($"| {name} | {reader.Checksums} | " + string.Join(" | ", columns.Select(o => counts.GetValueOrDefault((name, o)))) + $" | {s.Written} / {s.Foreign} | {readerSeconds.GetValueOrDefault(name) / 60:0.0} |");
        }
        text.AppendLine();
        var ordered = findings.Values.OrderBy(f => f.AllowedBy is null ? 0 : 1).ThenBy(f => f.Reader).ThenBy(f => f.Outcome).ToList();
        int failing = ordered.Count(f => f.AllowedBy is null);
        text.AppendLine($"## Findings: {ordered.Count} distinct, {failing} not allow-listed");
        foreach (var f in ordered)
        {
            text.AppendLine($"- **{Outcomes.Key(f.Outcome)}** `{f.Reader}` {f.Type} — {f.Shape} ({f.Count}×){(f.AllowedBy is null ? "" : $" [allowed: {f.AllowedBy}]")}");
            foreach (var e in f.Examples) text.AppendLine($"  - {e}");
        }
        text.AppendLine();
        text.AppendLine($"Reproduce a mutant: `dotnet run -c Release --project bench/Fuzz -- --seed {options.Seed} --reproduce READER:INDEX` (writes it under the work folder and runs it once).");
        var report = text.ToString();
        var path = options.ReportPath ?? Path.Combine(options.WorkDir, "report.md");
        File.WriteAllText(path, report);
        return (report, path, failing);
    }
}

