using System.Diagnostics;
using System.Globalization;
using Layerwise.Callbacks;
using Layerwise.Training;
using TorchSharp;

namespace Layerwise.Tests.Callbacks;

/// <summary>
/// The same training program, killed several times at random moments and started again each time
/// with BackupAndRestore, ends with the weights of a run that was never interrupted, bit for bit.
/// Each run is its own process (seeded, one torch thread), as a user's would be.
/// </summary>
public class BackupAndRestoreProcessTests
{
    const int Epochs = 30;

    [Fact]
    public async Task A_training_process_killed_and_restarted_ends_like_one_never_killed()
    {
        using var dir = new TempDirectory();
        var reference = dir.Combine("reference");
        var interrupted = dir.Combine("interrupted");
        await RunToEnd(reference);

        var random = new Random(3);
        int kills = 0;
        for (int attempt = 0; attempt < 4; attempt++)
        {
            using var child = Start(interrupted);
            int wanted = random.Next(1, 6), seen = 0;
            bool finished = false;
            while (seen < wanted)
            {
                var line = await child.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(120));
                if (line is null || line == "done") { finished = true; break; }
                if (line.StartsWith("epoch ", StringComparison.Ordinal)) seen++;
            }
            if (finished) break;
            await Task.Delay(random.Next(0, 5));
            child.Kill(entireProcessTree: true);
            await child.WaitForExitAsync();
            kills++;
        }
        Assert.True(kills > 0, "no run was killed before it finished");
        await RunToEnd(interrupted);

        var expected = TutorialModel.Create(hidden: 16);
        expected.LoadWeights(Path.Combine(reference, "final"));
        var actual = TutorialModel.Create(hidden: 16);
        actual.LoadWeights(Path.Combine(interrupted, "final"));
        Assert.Equal(TutorialModel.WeightValues(expected), TutorialModel.WeightValues(actual));
        Assert.Equal(File.ReadAllText(Path.Combine(reference, "history.txt")), File.ReadAllText(Path.Combine(interrupted, "history.txt")));
        Assert.False(Directory.Exists(Path.Combine(interrupted, "backup")), "the backup is removed when training finishes");
    }

    static async Task RunToEnd(string dir)
    {
        using var child = Start(dir);
        var output = await child.StandardOutput.ReadToEndAsync().WaitAsync(TimeSpan.FromSeconds(300));
        await child.WaitForExitAsync();
        Assert.True(child.ExitCode == 0 && output.Contains("done"), $"training child failed ({child.ExitCode}): {output} {await child.StandardError.ReadToEndAsync()}");
    }

    static Process Start(string dir)
    {
        var info = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { "exec", typeof(BackupAndRestoreProcessTests).Assembly.Location, "backup-train", dir })
            info.ArgumentList.Add(arg);
        return Process.Start(info)!;
    }

    /// <summary>Prints <c>epoch N</c> as each epoch ends (after the backup is written).</summary>
    sealed class EpochPrinter : Callback
    {
        public override void OnEpochEnd(int epoch, Logs logs)
        {
            Console.Out.WriteLine($"epoch {epoch + 1}");
            Console.Out.Flush();
        }
    }

    /// <summary>The child: the same seeded program every time; resumes from DIR/backup when there is one.</summary>
    internal static int Train(string dir)
    {
        torch.set_num_threads(1);
        Backend.SetRandomSeed(17);
        var (x, y) = TutorialModel.Data(128, seed: 5);
        var model = TutorialModel.Create(hidden: 16);
        var history = model.Fit(x, y, epochs: Epochs, batchSize: 32, verbose: 0,
                                callbacks: [new BackupAndRestore(Path.Combine(dir, "backup")), new EpochPrinter()]);
        model.SaveWeights(Path.Combine(dir, "final"));
        File.WriteAllLines(Path.Combine(dir, "history.txt"),
            history.Values.Select(kv => kv.Key + ": " + string.Join(" ", kv.Value.Select(v => v.ToString("R", CultureInfo.InvariantCulture)))));
        Console.Out.WriteLine("done");
        return 0;
    }
}
