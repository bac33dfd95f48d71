using Layerwise.Callbacks;
using Layerwise.Formats;
using Layerwise.Models;
using Layerwise.Tests.Support;
using TorchSharp;

namespace Layerwise.Tests.Formats.Writers;

/// <summary>
/// Writers that share a folder: two training processes whose ModelCheckpoints save into one folder
/// both finish with loadable files (each one's sweep of stale temporary files leaves the other's live
/// ones alone), and a reader of a model directory that is being saved over never finds it missing.
/// </summary>
public class ConcurrentWriterTests
{
    const int Epochs = 12;

    [Fact]
    public async Task Two_processes_checkpointing_into_one_folder_both_finish_and_their_files_load()
    {
        using var dir = new TempDirectory();
        using var a = ChildProcess.Start("fit-writer", dir.Path, "a");
        using var b = ChildProcess.Start("fit-writer", dir.Path, "b");
        foreach (var (name, child) in new[] { ("a", a), ("b", b) })
        {
            var errors = child.StandardError.ReadToEndAsync();
            var output = await child.StandardOutput.ReadToEndAsync().WaitAsync(TimeSpan.FromSeconds(300));
            await child.WaitForExitAsync();
            Assert.True(child.ExitCode == 0, $"writer {name} failed (exit {child.ExitCode}): {await errors}\n{output}");
            Assert.Contains("done", output, StringComparison.Ordinal);
        }
        foreach (var name in new[] { "a", "b" })
        {
            // The last epoch's weights, three ways: the weights-only checkpoint, the .h5 and the .keras model.
            var fromCheckpoint = TutorialModel.Create(hidden: 16, compile: false);
            fromCheckpoint.LoadWeights(dir.Combine($"{name}-{Epochs:D3}.ckpt"));
            var expected = TutorialModel.WeightValues(fromCheckpoint);
            Assert.Equal(expected, TutorialModel.WeightValues(Model.Load(dir.Combine($"{name}.h5"))));
            Assert.Equal(expected, TutorialModel.WeightValues(Model.Load(dir.Combine($"{name}.keras"))));
            Assert.Equal(2, Directory.GetFiles(dir.Path, $"{name}-*.ckpt.index").Length);
        }
        Assert.DoesNotContain(Directory.EnumerateFileSystemEntries(dir.Path), TempFiles.IsTemporaryName);
    }

    /// <summary>The child: trains and saves every epoch with three ModelCheckpoints named after <paramref name="name"/>.</summary>
    internal static int FitWriter(string dir, string name)
    {
        torch.set_num_threads(1);
        var model = TutorialModel.Create(hidden: 16);
        var (x, y) = TutorialModel.Data(64);
        model.Fit(x, y, batchSize: 16, epochs: Epochs, verbose: 0, callbacks:
        [
            new ModelCheckpoint(Path.Combine(dir, name + "-{epoch:03d}.ckpt"), saveWeightsOnly: true, maxToKeep: 2),
            new ModelCheckpoint(Path.Combine(dir, name + ".h5")),
            new ModelCheckpoint(Path.Combine(dir, name + ".keras")),
        ]);
        Console.Out.WriteLine("done");
        return 0;
    }

    [Fact]
    public async Task A_model_directory_being_saved_over_is_always_there_for_a_reader()
    {
        using var dir = new TempDirectory();
        var path = dir.Combine("model");
        var model = TutorialModel.Create(hidden: 16, compile: false);
        model.Save(path);
        using var stop = new CancellationTokenSource();
        int loads = 0;
        var reader = Task.Run(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                // Throws (FileNotFoundException, DirectoryNotFoundException) if a save leaves a moment with nothing at the path.
                Assert.True(Directory.Exists(path) && File.Exists(Path.Combine(path, "config.json")) && File.Exists(Path.Combine(path, "model.weights.h5")),
                            $"after {loads} reads the model directory was missing");
                loads++;
            }
        });
        for (int save = 0; save < 150 && !reader.IsCompleted; save++) model.Save(path);
        stop.Cancel();
        await reader;
        Assert.True(loads > 0);
        Assert.DoesNotContain(Directory.EnumerateFileSystemEntries(dir.Path), TempFiles.IsTemporaryName);
    }

    [Fact]
    public void The_exchange_swaps_two_directories_in_one_step_on_Linux()
    {
        using var dir = new TempDirectory();
        Directory.CreateDirectory(dir.Combine("x"));
        Directory.CreateDirectory(dir.Combine("y"));
        File.WriteAllText(dir.Combine("x", "name"), "x");
        File.WriteAllText(dir.Combine("y", "name"), "y");
        bool exchanged = DirectoryExchange.TryExchange(dir.Combine("x"), dir.Combine("y"));
        Assert.Equal(OperatingSystem.IsLinux(), exchanged);
        if (!exchanged) return;
        Assert.Equal("y", File.ReadAllText(dir.Combine("x", "name")));
        Assert.Equal("x", File.ReadAllText(dir.Combine("y", "name")));
    }
}
