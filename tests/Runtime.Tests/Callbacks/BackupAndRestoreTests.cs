using Layerwise.Callbacks;
using Layerwise.Formats.Checkpoint;
using Layerwise.Training;

namespace Layerwise.Tests.Callbacks;

[Collection(GlobalRandomState.Name)]
public class BackupAndRestoreTests : IDisposable
{
    readonly TempDirectory dir = new();

    public BackupAndRestoreTests() => TutorialModel.SingleThread();

    public void Dispose() => dir.Dispose();

    sealed class SimulatedCrash : Exception;

    /// <summary>Throws out of Fit in the middle of epoch <paramref name="crashEpoch"/>, as a killed process would stop.</summary>
    sealed class CrashIn(int crashEpoch) : Callback
    {
        int epoch;
        public override void OnEpochBegin(int epoch, Logs logs) => this.epoch = epoch;
        public override void OnTrainBatchEnd(int batch, Logs logs)
        {
            if (epoch == crashEpoch && batch == 1) throw new SimulatedCrash();
        }
    }

    [Fact]
    public void Training_interrupted_mid_epoch_and_started_again_ends_bit_identical_to_an_uninterrupted_run()
    {
        var (x, y) = TutorialModel.Data(96);
        var backup = dir.Combine("backup");

        Backend.SetRandomSeed(5);
        var straight = TutorialModel.Create(hidden: 32);
        var straightHistory = straight.Fit(x, y, epochs: 6, validationData: (x, y), verbose: 0);

        Backend.SetRandomSeed(5);
        var first = TutorialModel.Create(hidden: 32);
        Assert.Throws<SimulatedCrash>(() =>
            first.Fit(x, y, epochs: 6, validationData: (x, y), verbose: 0, callbacks: [new BackupAndRestore(backup), new CrashIn(3)]));
        Assert.True(File.Exists(Path.Combine(backup, BackupAndRestore.StateFileName)));

        var second = TutorialModel.Create(hidden: 32);   // a new process would build a fresh model too
        var history = second.Fit(x, y, epochs: 6, validationData: (x, y), verbose: 0, callbacks: [new BackupAndRestore(backup)]);

        Assert.Equal(TutorialModel.WeightValues(straight), TutorialModel.WeightValues(second));
        Assert.Equal(straight.Optimizer!.Iterations, second.Optimizer!.Iterations);
        Assert.Equal(straightHistory.Epochs, history.Epochs);
        foreach (var key in straightHistory.Values.Keys)
            Assert.Equal(straightHistory[key], history[key]);
        Assert.False(Directory.Exists(backup), "the backup is removed when training finishes");
    }

    [Fact]
    public void Each_epoch_replaces_the_previous_backup_and_keeps_it_when_asked()
    {
        var (x, y) = TutorialModel.Data(32);
        var backup = dir.Combine("keep");
        var model = TutorialModel.Create(hidden: 8);
        model.Fit(x, y, epochs: 3, verbose: 0, callbacks: [new BackupAndRestore(backup, deleteCheckpoint: false)]);
        Assert.Equal(["chkpt-3.data-00000-of-00001", "chkpt-3.index", BackupAndRestore.StateFileName],
                     Directory.GetFiles(backup).Select(Path.GetFileName).Order());
    }

    [Fact]
    public void A_damaged_training_state_is_set_aside_with_a_warning_naming_it_and_training_starts_over()
    {
        var backup = dir.Combine("bad");
        Directory.CreateDirectory(backup);
        var path = Path.Combine(backup, BackupAndRestore.StateFileName);
        var (x, y) = TutorialModel.Data(32);
        var model = TutorialModel.Create(hidden: 8);
        var output = new StringWriter();
        Output.Writer = output;
        // Deeply nested arrays (the input that overflows MessagePack's stack without UntrustedData), then plain garbage.
        var damaged = new[] { Enumerable.Repeat((byte)0x91, 200_000).ToArray(), [0x96, 0x01, 0xff, 0xc1], [] };
        foreach (var bytes in damaged)
        {
            File.WriteAllBytes(path, bytes);
            var history = model.Fit(x, y, epochs: 1, verbose: 0, callbacks: [new BackupAndRestore(backup, deleteCheckpoint: false)]);
            Assert.Equal([0], history.Epochs);
            Assert.Contains(path, output.ToString());
            File.Delete(path);
        }
        var quarantined = Directory.GetDirectories(backup, "corrupt-*");
        Assert.Equal(damaged.Length, quarantined.Length);
        Assert.All(quarantined, q => Assert.True(File.Exists(Path.Combine(q, BackupAndRestore.StateFileName))));
    }

    [Fact]
    public void A_damaged_training_state_is_a_typed_error_naming_the_file()
    {
        var path = dir.Combine(BackupAndRestore.StateFileName);
        foreach (var bytes in new[] { Enumerable.Repeat((byte)0x91, 200_000).ToArray(), [0x96, 0x01, 0xff, 0xc1], [] })
        {
            File.WriteAllBytes(path, bytes);
            var e = Assert.Throws<CorruptCheckpointException>(() => TrainingState.Read(path));
            Assert.Equal(path, e.FilePath);
        }
    }

    [Fact]
    public void A_state_naming_a_path_outside_the_backup_folder_is_refused()
    {
        var state = new TrainingState(1, "../elsewhere", [1, 2], [0], []);
        var path = dir.Combine(BackupAndRestore.StateFileName);
        state.Write(path);
        Assert.Throws<CorruptCheckpointException>(() => TrainingState.Read(path));
    }
}
