using Layerwise.Fuzz;

// bench/Fuzz: mutates model files and runs every Layerwise reader on them in child processes.
// See README.md beside this file for the commands and what each outcome means.
if (args.Contains("--child")) return ChildHost.Run();

string? Value(string name) => Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : null;
int IntValue(string name, int fallback) => Value(name) is { } v ? int.Parse(v) : fallback;

if (args.Contains("--help") || args.Contains("-h"))
{
    Console.WriteLine("""
        bench/Fuzz [options]
          --per-reader N     mutants per reader (default 200; --ci: 100)
          --readers a,b      readers to run (default all): {READERS}
          --seed S           run seed; the same seed makes the same mutants (default 1)
          --jobs J           child processes in parallel (default 1)
          --timeout S        seconds one input may take (default 30; --ci: 15)
          --slack-mb M       memory slack over 2 x (file + model size) (default 160)
          --hard-cap-mb M    a child over this resident size is killed (default 4096; --ci: 1536)
          --work DIR         work folder (default $TMPDIR/layerwise-fuzz)
          --allow FILE       allow-list (default known-defects.txt beside the program)
          --report FILE      where the markdown report goes (default WORK/report.md)
          --keep             keep every mutant (default: only those with findings)
          --scratch DIR      where mutants are made and read (default /dev/shm/layerwise-fuzz-PID when /dev/shm exists, else WORK/scratch)
          --ci               the CI gate: --per-reader 100 unless given; exit 1 on a finding outside the allow-list
          --reproduce R:I    make mutant I of reader R (same --seed), run it once, print the outcome
        """.Replace("{READERS}", string.Join(", ", Readers.All.Select(r => r.Name))));
    return 0;
}

bool ci = args.Contains("--ci");
var options = new Options(
    PerReader: IntValue("--per-reader", ci ? 100 : 200),
    Readers: Value("--readers")?.Split(',', StringSplitOptions.RemoveEmptyEntries) ?? [.. Readers.All.Select(r => r.Name)],
    Seed: IntValue("--seed", 1),
    Jobs: IntValue("--jobs", 1),
    TimeoutSeconds: IntValue("--timeout", ci ? 15 : 30),
    WorkDir: Path.GetFullPath(Value("--work") ?? Path.Combine(Path.GetTempPath(), "layerwise-fuzz")),
    AllowListPath: Value("--allow") ?? Path.Combine(AppContext.BaseDirectory, "known-defects.txt"),
    SlackMb: IntValue("--slack-mb", 160),
    HardCapMb: IntValue("--hard-cap-mb", ci ? 1536 : 4096),
    Keep: args.Contains("--keep"),
    Ci: ci,
    ReportPath: Value("--report"),
    ScratchDir: Path.GetFullPath(Value("--scratch") ?? (Directory.Exists("/dev/shm")
        ? Path.Combine("/dev/shm", $"layerwise-fuzz-{Environment.ProcessId}")
        : Path.Combine(Value("--work") ?? Path.Combine(Path.GetTempPath(), "layerwise-fuzz"), "scratch"))));
foreach (var r in options.Readers) Readers.Get(r);

if (Value("--reproduce") is { } which)
    return Reproduce.Run(options, which);
return new Campaign(options).Run();
