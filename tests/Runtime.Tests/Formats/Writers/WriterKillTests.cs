using System.Globalization;
using Layerwise.Callbacks;
using Layerwise.Formats;
using Layerwise.Formats.Checkpoint;
using Layerwise.Models;
using Layerwise.Tests.Support;
using TorchSharp;
using static TorchSharp.torch;

namespace Layerwise.Tests.Formats.Writers;

/// <summary>
/// The kill harness, for every writer: a child process saves in a loop (every weight filled with a
/// save counter, so a file mixing two saves shows two values) and prints <c>saved N</c> after each
/// completed save; the test kills it (SIGKILL) at a random moment, then checks that what the writer
/// left at its path loads, holds one save, and is at least as new as the last save reported complete.
/// After the kills one more save runs in this process, and then no temporary file may remain in the
/// folder. (The TF checkpoint writer alone has its own harness: CheckpointCrashTests.)
/// Kills per writer: <c>LAYERWISE_WRITER_KILLS</c> (default 10); long local runs go through
/// <see cref="RunKills"/> outside the test runner (docs/writers.md).
/// </summary>
public class WriterKillTests
{
    const int Hidden = 16;

    public static TheoryData<string> Writers => ["h5", "weights-h5", "keras", "directory", "fit-checkpoint", "backup"];

    [Theory]
    [MemberData(nameof(Writers))]
    public async Task Killing_the_writer_at_any_moment_leaves_the_last_completed_save_loadable_and_the_next_save_sweeps_temps(string writer)
    {
        int kills = int.TryParse(Environment.GetEnvironmentVariable("LAYERWISE_WRITER_KILLS"), out var n) ? n : 10;
        using var dir = new TempDirectory();
        await RunKills(writer, kills, dir.Path, _ => { });
    }

    /// <summary>
    /// The harness: <paramref name="kills"/> kills of a child saving with <paramref name="writer"/> into
    /// <paramref name="dir"/>, each followed by the checks, then one more save and the temporary-file check.
    /// Also run outside the test runner for long runs, with a line of progress per kill:
    /// <c>dotnet exec Layerwise.Tests.dll writer-kills WRITER KILLS DIR</c>.
    /// </summary>
    internal static async Task RunKills(string writer, int kills, string dir, Action<string> progress)
    {
        var random = new Random(writer.GetHashCode(StringComparison.Ordinal));
        long lastReported = 0;
        for (int kill = 0; kill < kills; kill++)
        {
            int savesBeforeKill = random.Next(1, 4);
            using var child = ChildProcess.Start("writer-loop", dir, writer, lastReported.ToString(CultureInfo.InvariantCulture));
            for (int seen = 0; seen < savesBeforeKill; seen++)
            {
                var line = await ChildProcess.ReadLineStartingWith(child, "saved ", TimeSpan.FromSeconds(120))
                    ?? throw new Xunit.Sdk.XunitException($"The child exited early: {await child.StandardError.ReadToEndAsync()}");
                lastReported = long.Parse(line[6..], CultureInfo.InvariantCulture);
            }
            // The kill lands in the next save (or the one after): a save of this small model takes milliseconds.
            await Task.Delay(random.Next(0, 15));
            child.Kill(entireProcessTree: true);
            await child.WaitForExitAsync();

            var value = LoadedSave(writer, dir, $"kill {kill} ({writer})");
            Assert.True(value >= lastReported, $"kill {kill} ({writer}): loaded save {value}, but save {lastReported} had completed");
            lastReported = value;
            progress($"{writer}: kill {kill + 1} of {kills}: save {value} loads");
        }

        SaveOnceMore(writer, dir);
        DeferredDeletion.WaitForPending();
        var temps = Directory.EnumerateFileSystemEntries(dir, "*", SearchOption.AllDirectories).Where(TempFiles.IsTemporaryName).ToList();
        Assert.True(temps.Count == 0, $"{writer}: temporary files remain after the next save: {string.Join(", ", temps.Select(Path.GetFileName))}");
        if (writer == "fit-checkpoint")
            Assert.Equal(3, Directory.GetFiles(dir, "cp-*.ckpt.index").Length);   // maxToKeep: 3 across every restart
        if (writer == "backup")
            Assert.Single(Directory.GetFiles(Path.Combine(dir, "backup"), "chkpt-*.index"));
        progress($"{writer}: {kills} kills, every latest save loaded; 0 temporary files after the next save");
    }

    /// <summary>The save counter held by what the writer left (every weight must hold that one value).</summary>
    static long LoadedSave(string writer, string dir, string context)
    {
        Model model;
        switch (writer)
        {
            case "h5": model = Model.Load(Path.Combine(dir, "model.h5"), compile: false); break;
            case "keras": model = Model.Load(Path.Combine(dir, "model.keras"), compile: false); break;
            case "directory": model = Model.Load(Path.Combine(dir, "model"), compile: false); break;
            case "weights-h5":
                model = TutorialModel.Create(Hidden, compile: false);
                model.LoadWeights(Path.Combine(dir, "model.weights.h5"));
                break;
            case "fit-checkpoint":
                model = TutorialModel.Create(Hidden, compile: false);
                model.LoadWeights(Layerwise.Checkpoint.Latest(dir) ?? throw new Xunit.Sdk.XunitException($"{context}: no latest checkpoint"));
                break;
            case "backup":
                var backup = Path.Combine(dir, "backup");
                var state = TrainingState.Read(Path.Combine(backup, BackupAndRestore.StateFileName));
                model = TutorialModel.Create(Hidden, compile: false);
                model.LoadWeights(Path.Combine(backup, state.Checkpoint));
                break;
            default: throw new ArgumentException(writer);
        }
        var values = model.Weights.SelectMany(w => { using var c = w.ToCpu(); return c.data<float>().ToArray(); }).Distinct().ToList();
        Assert.True(values.Count == 1, $"{context}: the file mixes saves {string.Join(", ", values)}");
        return (long)values[0];
    }

    /// <summary>One more successful save with the same writer, in this process.</summary>
    static void SaveOnceMore(string writer, string dir)
    {
        if (writer is "fit-checkpoint" or "backup")
        {
            var model = TutorialModel.Create(Hidden);
            var (x, y) = TutorialModel.Data(16);
            int epochs = 1;
            Callback saver = new ModelCheckpoint(Path.Combine(dir, "cp-{epoch:05d}.ckpt"), saveWeightsOnly: true, maxToKeep: 3);
            if (writer == "backup")
            {
                var backup = Path.Combine(dir, "backup");
                epochs = TrainingState.Read(Path.Combine(backup, BackupAndRestore.StateFileName)).CompletedEpochs + 1;
                saver = new BackupAndRestore(backup, deleteCheckpoint: false);
            }
            model.Fit(x, y, batchSize: 16, epochs: epochs, verbose: 0, callbacks: [saver]);
            return;
        }
        Save(TutorialModel.Create(Hidden, compile: false), writer, dir);
    }

    static void Save(Model model, string writer, string dir)
    {
        switch (writer)
        {
            case "h5": model.Save(Path.Combine(dir, "model.h5")); break;
            case "keras": model.Save(Path.Combine(dir, "model.keras")); break;
            case "directory": model.Save(Path.Combine(dir, "model")); break;
            case "weights-h5": model.SaveWeights(Path.Combine(dir, "model.weights.h5")); break;
            default: throw new ArgumentException(writer);
        }
    }

    /// <summary>The child: saves forever with <paramref name="writer"/>, every weight filled with the save counter.</summary>
    internal static int WriterLoop(string dir, string writer, long start)
    {
        torch.set_num_threads(1);
        BundleFiles.DeferDeletionFromBytes = 0;   // replaced data files go through the background deletion, so kills land there too
        if (writer is "fit-checkpoint" or "backup")
        {
            var counter = new[] { start };
            Callback saver = writer == "backup"
                ? new BackupAndRestore(Path.Combine(dir, "backup"), deleteCheckpoint: false)
                : new ModelCheckpoint(Path.Combine(dir, "cp-{epoch:05d}.ckpt"), saveWeightsOnly: true, maxToKeep: 3);
            var model = TutorialModel.Create(Hidden);
            var (x, y) = TutorialModel.Data(16);
            model.Fit(x, y, batchSize: 16, epochs: 1_000_000, verbose: 0,
                      callbacks: [new SaveCounterCallback(SaveCounterCallback.Role.Fill, counter), saver, new SaveCounterCallback(SaveCounterCallback.Role.Report, counter)]);
            return 0;
        }
        var saved = TutorialModel.Create(Hidden, compile: false);
        for (long k = start + 1; ; k++)
        {
            using (no_grad())
                foreach (var w in saved.Weights) w.Value.fill_((float)k);
            Save(saved, writer, dir);
            Console.Out.WriteLine($"saved {k}");
            Console.Out.Flush();
        }
    }
}
