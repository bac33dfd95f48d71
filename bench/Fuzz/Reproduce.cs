namespace Layerwise.Fuzz;

/// <summary><c>--reproduce reader:index</c>: makes that one mutant again (same run seed) and runs it in a fresh child.</summary>
internal static class Reproduce
{
    /// <summary>Writes the seeds, makes the mutant, runs it, prints where it is and what happened.</summary>
    public static int Run(Options options, string which)
    {
        var parts = which.Split(':');
        var reader = Readers.Get(parts[0]);
        int index = int.Parse(parts[1]);
        var seedDir = Path.Combine(options.WorkDir, "seeds");
        if (Directory.Exists(options.WorkDir)) Directory.Delete(options.WorkDir, recursive: true);
        Directory.CreateDirectory(seedDir);
        Seeds.Write(seedDir);
        var seeds = Seeds.For(reader.Name, seedDir, Seeds.FindFixtures());
        var seed = seeds[index % seeds.Count];
        var dir = Path.Combine(options.WorkDir, "m", reader.Name, index.ToString());
        var (path, bytes, mutation) = new Campaign(options).MakeMutant(reader, seed, index, dir);
        Console.WriteLine($"mutant {reader.Name}:{index} of seed {seed.Name} ({bytes} bytes): {mutation}");
        Console.WriteLine($"input: {path}{(seed.Target is null ? "" : $"  (loaded into the model of {seed.Target})")}");
        using var runner = new ChildRunner(options.TimeoutSeconds * 1000, options.HardCapMb * 1024);
        var r = runner.Run(reader.Name, path, seed.Target);
        Console.WriteLine($"{r.Status} {r.Type} {r.Message} (peak +{(r.PeakKb - r.BaselineKb) / 1024} MB, {r.Milliseconds} ms, digest {r.Digest})");
        return 0;
    }
}
