using System.Diagnostics;
using Layerwise.Formats.Checkpoint;
using TorchSharp;
using static TorchSharp.torch;

namespace Layerwise.Tests.Formats.Checkpoint;

/// <summary>
/// Kills a process at arbitrary moments while it saves checkpoints in a loop, then checks that the
/// latest checkpoint the directory names always loads, passes its checksums, and is at least as
/// new as the last save the child reported complete. The child fills every weight with its save
/// counter, so a checkpoint mixing two saves would show two values.
/// Kills: <c>LAYERWISE_CRASH_KILLS</c> (default 50; e.g. 1000 for a long local run).
/// </summary>
public class CheckpointCrashTests
{
    [Fact]
    public async Task Killing_the_saver_at_any_moment_leaves_the_last_completed_checkpoint_loadable()
    {
        int kills = int.TryParse(Environment.GetEnvironmentVariable("LAYERWISE_CRASH_KILLS"), out var n) ? n : 50;
        using var dir = new TempDirectory();
        var random = new Random(11);
        var model = TutorialModel.Create(compile: false);
        long lastReported = -1;
        for (int kill = 0; kill < kills; kill++)
        {
            // Alternate between overwriting one prefix (the .old swap) and rotating through four prefixes (the state file).
            string mode = kill % 2 == 0 ? "same" : "rotate";
            int savesBeforeKill = random.Next(1, 4);
            using var child = StartChild(dir.Path, mode, lastReported + 1);
            int seen = 0;
            while (seen < savesBeforeKill)
            {
                string? line;
                try
                {
                    line = await child.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(60));
                }
                catch (TimeoutException)
                {
                    child.Kill(entireProcessTree: true);
                    throw new TimeoutException("The child saved nothing for 60 s.");
                }
                if (line is null) break;
                if (!line.StartsWith("saved ", StringComparison.Ordinal)) continue;
                lastReported = long.Parse(line[6..], System.Globalization.CultureInfo.InvariantCulture);
                seen++;
            }
            if (seen < savesBeforeKill) Assert.Fail($"The child exited early: {await child.StandardError.ReadToEndAsync()}");
            // The kill lands somewhere in the next save (or the one after): a save takes a few milliseconds.
            await Task.Delay(random.Next(0, 12));
            child.Kill(entireProcessTree: true);
            await child.WaitForExitAsync();

            var latest = Layerwise.Checkpoint.Latest(dir.Path);
            Assert.NotNull(latest);
            model.LoadWeights(latest);
            var values = model.Weights.SelectMany(w => { using var c = w.ToCpu(); return c.data<float>().ToArray().Distinct().ToArray(); }).Distinct().ToList();
            Assert.True(values.Count == 1, $"kill {kill} ({mode}): the checkpoint mixes saves {string.Join(", ", values)}");
            Assert.True(values[0] >= lastReported, $"kill {kill} ({mode}): loaded save {values[0]}, but save {lastReported} had completed");
            lastReported = (long)values[0];
        }

        // Whatever the kills left (temporary files, data files whose background deletion never ran)
        // goes with the next save at the prefix.
        model.SaveWeights(Path.Combine(dir.Path, "cp.ckpt"));
        DeferredDeletion.WaitForPending();
        Assert.Empty(Directory.GetFiles(dir.Path, "cp.ckpt.*tmp-*"));
        Assert.Empty(Directory.GetFiles(dir.Path, "cp.ckpt.*.old"));
    }

    static Process StartChild(string dir, string mode, long start)
    {
        var dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet";
        var info = new ProcessStartInfo(dotnet)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { "exec", typeof(CheckpointCrashTests).Assembly.Location, "save-loop", dir, mode, start.ToString(System.Globalization.CultureInfo.InvariantCulture) })
            info.ArgumentList.Add(arg);
        return Process.Start(info)!;
    }

    /// <summary>The child: saves the tutorial model forever, every weight filled with the save counter.</summary>
    internal static int SaveLoop(string dir, string mode, long start)
    {
        torch.set_num_threads(1);
        // Every replaced data file goes through the background deletion, so kills land there too.
        BundleFiles.DeferDeletionFromBytes = 0;
        var model = TutorialModel.Create(compile: false);
        for (long k = start; ; k++)
        {
            using (no_grad())
                foreach (var w in model.Weights) w.Value.fill_((float)k);
            var prefix = Path.Combine(dir, mode == "same" ? "cp.ckpt" : $"cp-{k % 4}.ckpt");
            model.SaveWeights(prefix);
            Console.Out.WriteLine($"saved {k}");
            Console.Out.Flush();
        }
    }
}
