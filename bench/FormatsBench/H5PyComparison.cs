using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using Layerwise.Layers;
using Layerwise.Models;
using TorchSharp;
using static Measure;

/// <summary>
/// LoadWeights(".h5") into an existing model and Save(".h5") against h5py on the same file, in alternating rounds:
/// h5py's <c>read_direct</c> of every weight into numpy arrays allocated once (h5py_baseline.py), and h5py writing
/// the same datasets and attributes, fsync'd and renamed as Save does. Then the extra peak memory of one
/// LoadWeights in a fresh process (VmHWM growth, after a warm-up load so that JIT is not counted, and of the
/// first load with it).
/// </summary>
static class H5PyComparison
{
    const int Width = 2048;

    public static Sequential NewModel(int layers)
    {
        var model = new Sequential([new Dense(Width, inputShape: [Width]), .. Enumerable.Range(1, layers - 1).Select(_ => (Layer)new Dense(Width))]);
        model.Compile("adam", "mse");
        model.EnsureBuilt([Width]);
        return model;
    }

    public static void Run(string[] args)
    {
        int megabytes = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 400;
        int rounds = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 5;
        var directory = args.Length > 2 ? args[2] : Path.Combine(Path.GetTempPath(), "layerwise-formats-bench");
        var python = Environment.GetEnvironmentVariable("FORMATSBENCH_PYTHON") ?? "/usr/bin/python3";
        Directory.CreateDirectory(directory);
        torch.set_num_threads(1);
        Layerwise.Backend.SetRandomSeed(1);
        int layers = Math.Max(1, (int)Math.Round(megabytes * 1024.0 * 1024.0 / (4.0 * Width * (Width + 1))));
        var model = NewModel(layers);
        var target = NewModel(layers);
        long bytes = model.Weights.Sum(w => w.NumElements) * 4;
        var source = Path.Combine(directory, "model.h5");
        var layerwiseOut = Path.Combine(directory, "layerwise-save.h5");
        var h5pyOut = Path.Combine(directory, "h5py-save.h5");
        model.Save(source);
        Console.WriteLine($"model: {layers} Dense({Width}) layers, {bytes / 1e6:F1} MB of float32 weights; {rounds} rounds; files in {directory}; {File.ReadAllText("/proc/loadavg").Trim()} (loadavg)");

        var script = Path.Combine(AppContext.BaseDirectory, "h5py_baseline.py");
        var start = new ProcessStartInfo(python) { RedirectStandardInput = true, RedirectStandardOutput = true, UseShellExecute = false };
        start.ArgumentList.Add(script);
        using var h5py = Process.Start(start)!;
        if (h5py.StandardOutput.ReadLine() != "ready") throw new InvalidOperationException($"{python} {script} did not start (h5py and numpy installed?)");
        double Ask(string command)
        {
            h5py.StandardInput.WriteLine(command);
            var answer = h5py.StandardOutput.ReadLine() ?? throw new InvalidOperationException($"h5py_baseline.py stopped at \"{command}\"");
            return double.Parse(answer.Split(' ')[0], CultureInfo.InvariantCulture);
        }

        var times = new Dictionary<string, List<double>> { ["h5py read_direct"] = [], ["LoadWeights"] = [], ["LoadWeights verifyFirst"] = [], ["h5py write"] = [], ["Save"] = [], ["h5py write (no fsync)"] = [] };
        for (int round = 0; round < rounds; round++)
        {
            // Alternate who goes first, so that neither always finds the page cache and the CPU in the same state.
            var steps = new (string, Action)[]
            {
                ("h5py read_direct", () => times["h5py read_direct"].Add(Ask($"read {source}"))),
                ("LoadWeights", () => times["LoadWeights"].Add(Time(() => target.LoadWeights(source)))),
                ("LoadWeights verifyFirst", () => times["LoadWeights verifyFirst"].Add(Time(() => target.LoadWeights(source, verifyFirst: true)))),
                ("h5py write", () => { Sync(); times["h5py write"].Add(Ask($"write {source} {h5pyOut}")); }),
                ("Save", () => { Sync(); times["Save"].Add(Time(() => model.Save(layerwiseOut))); }),
                ("h5py write (no fsync)", () => { Sync(); times["h5py write (no fsync)"].Add(Ask($"write-nosync {source} {h5pyOut}")); }),
            };
            foreach (var (_, step) in round % 2 == 0 ? steps : steps.Reverse()) step();
            Console.WriteLine($"round {round} ({(round % 2 == 0 ? "forward" : "reversed")}): " +
                              string.Join(", ", times.Select(t => FormattableString.Invariant($"{t.Key} {t.Value[^1]:F0}"))));
            if (round == 0) Check(model, target);
            GC.Collect();
        }
        h5py.StandardInput.WriteLine("quit");
        h5py.WaitForExit();

        Console.WriteLine();
        Console.WriteLine("| operation | median (ms) | MB/s | ratio |");
        Console.WriteLine("| --- | --- | --- | --- |");
        foreach (var (name, baseline) in new[] { ("h5py read_direct", "h5py read_direct"), ("LoadWeights", "h5py read_direct"), ("LoadWeights verifyFirst", "h5py read_direct"),
                                                 ("h5py write", "h5py write"), ("Save", "h5py write"), ("h5py write (no fsync)", "h5py write") })
        {
            double median = Median(times[name]);
            Console.WriteLine($"| {name} | {median:F0} | {bytes / 1e6 / (median / 1000):F0} | {median / Median(times[baseline]):F2} |");
        }
        var peak = FreshProcess("--loadweights-once", source, layers.ToString(CultureInfo.InvariantCulture));
        Console.WriteLine();
        Console.WriteLine($"LoadWeights in a fresh process: peak memory added {peak[1] / 1024:F1} MiB = {peak[1] * 1024 / bytes:F3} x the weights " +
                          $"(after a warm-up load: JIT not counted); the first load, JIT included: {peak[0] / 1024:F1} MiB = {peak[0] * 1024 / bytes:F3} x");
        foreach (var path in new[] { source, layerwiseOut, h5pyOut }) File.Delete(path);
    }

    /// <summary>
    /// Only <c>Save(".h5")</c> of the same model, <paramref name="args"/> = [megabytes, rounds, directory], each round's
    /// milliseconds printed: a process to run under <c>strace -f -c</c> or <c>perf</c> without h5py or the loads in it.
    /// </summary>
    public static void SaveOnly(string[] args)
    {
        int megabytes = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 400;
        int rounds = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 5;
        var directory = args.Length > 2 ? args[2] : Path.Combine(Path.GetTempPath(), "layerwise-formats-bench");
        Directory.CreateDirectory(directory);
        torch.set_num_threads(1);
        Layerwise.Backend.SetRandomSeed(1);
        var model = NewModel(Math.Max(1, (int)Math.Round(megabytes * 1024.0 * 1024.0 / (4.0 * Width * (Width + 1)))));
        var path = Path.Combine(directory, "layerwise-save.h5");
        var times = new List<double>();
        for (int round = 0; round < rounds; round++)
        {
            times.Add(Time(() => model.Save(path)));
            Console.WriteLine(FormattableString.Invariant($"round {round}: {times[^1]:F0} ms"));
        }
        Console.WriteLine(FormattableString.Invariant($"median {Median(times):F0} ms; {File.ReadAllText("/proc/loadavg").Trim()} (loadavg)"));
        File.Delete(path);
    }

    /// <summary>
    /// In a fresh process: builds the model, loads the weights once (JIT and first use included; its VmHWM growth), resets
    /// the high-water mark (/proc/self/clear_refs 5) and loads again (its VmHWM growth). Prints both, in kB.
    /// </summary>
    public static void LoadWeightsOnce(string path, int layers)
    {
        torch.set_num_threads(1);
        var model = NewModel(layers);
        GC.Collect();
        long before = StatusKb("VmRSS");
        ResetPeak();
        model.LoadWeights(path);
        long first = StatusKb("VmHWM") - before;
        GC.Collect();
        ResetPeak();
        before = StatusKb("VmRSS");
        model.LoadWeights(path);
        long second = StatusKb("VmHWM") - before;
        Console.WriteLine(FormattableString.Invariant($"{first} {second}"));
    }

    /// <summary>
    /// Before each timed write, untimed: every dirty page of the machine written out, so that no writer's fsync waits
    /// behind the previous step's writeback (the no-fsync write leaves 420 MB in flight, and only Save followed it).
    /// </summary>
    static void Sync() => SyncAll();

    [DllImport("libc", EntryPoint = "sync")]
    static extern void SyncAll();

    static void ResetPeak() => File.WriteAllText("/proc/self/clear_refs", "5");

    static double[] FreshProcess(params string[] arguments)
    {
        var start = new ProcessStartInfo(Environment.ProcessPath!) { RedirectStandardOutput = true, UseShellExecute = false };
        if (Path.GetFileNameWithoutExtension(Environment.ProcessPath) == "dotnet") start.ArgumentList.Add(System.Reflection.Assembly.GetEntryAssembly()!.Location);
        foreach (var a in arguments) start.ArgumentList.Add(a);
        using var child = Process.Start(start)!;
        var output = child.StandardOutput.ReadToEnd().Trim();
        child.WaitForExit();
        return output.Split(' ').Select(f => double.Parse(f, CultureInfo.InvariantCulture)).ToArray();
    }

    static void Check(Model saved, Model loaded)
    {
        foreach (var (a, b) in saved.Weights.Zip(loaded.Weights))
        {
            using var x = a.ToCpu();
            using var y = b.ToCpu();
            if (!MemoryMarshal.Cast<byte, float>(x.bytes).SequenceEqual(MemoryMarshal.Cast<byte, float>(y.bytes)))
                throw new InvalidOperationException($"weight {a.Path} differs after LoadWeights");
        }
    }
}
