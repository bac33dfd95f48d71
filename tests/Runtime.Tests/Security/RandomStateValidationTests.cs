using Layerwise.Callbacks;
using Layerwise.Formats.Checkpoint;

namespace Layerwise.Tests.Security;

/// <summary>
/// libtorch stops the process (c10::Error "Invalid mt19937 state", SIGABRT) when given a generator state
/// its Mersenne Twister cannot hold; before this check, a backup whose state file held one stopped every
/// restart of the training program. Such states are now refused in managed code, and a damaged backup is
/// set aside so training can start again.
/// </summary>
[Collection(GlobalRandomState.Name)]
public class RandomStateValidationTests : IDisposable
{
    readonly TempDirectory dir = new();

    public RandomStateValidationTests() => TutorialModel.SingleThread();

    public void Dispose() => dir.Dispose();

    [Theory]
    [InlineData(0x00)]
    [InlineData(0xFF)]
    public void A_state_libtorch_would_abort_on_is_an_ArgumentException(byte fill)
    {
        var length = RandomState.Capture().Length;
        var state = Enumerable.Repeat(fill, length).ToArray();
        Assert.Throws<ArgumentException>(() => RandomState.Restore(state));
    }

    [Fact]
    public void A_captured_state_restores_and_replays_the_same_numbers()
    {
        Backend.SetRandomSeed(3);
        using (var _ = TorchSharp.torch.rand(10)) { }   // move past the freshly seeded state (left = 1, next = 0)
        var state = RandomState.Capture();
        using var first = TorchSharp.torch.rand(5);
        RandomState.Restore(state);
        using var second = TorchSharp.torch.rand(5);
        Assert.Equal(first.data<float>().ToArray(), second.data<float>().ToArray());
    }

    [Fact]
    public void A_backup_whose_random_state_is_all_zeros_is_set_aside_and_training_starts_from_the_first_epoch()
    {
        var backup = dir.Combine("backup");
        Directory.CreateDirectory(backup);
        var (x, y) = TutorialModel.Data(32);
        var first = TutorialModel.Create(hidden: 8);
        first.Fit(x, y, epochs: 2, verbose: 0, callbacks: [new BackupAndRestore(backup, deleteCheckpoint: false)]);
        var statePath = Path.Combine(backup, BackupAndRestore.StateFileName);
        var sound = TrainingState.Read(statePath);
        // A state whose checksum is right but whose generator bytes libtorch would abort on.
        new TrainingState(sound.CompletedEpochs, sound.Checkpoint, new byte[sound.RandomState.Length], sound.HistoryEpochs, sound.HistoryValues).Write(statePath);

        var output = new StringWriter();
        Output.Writer = output;
        var model = TutorialModel.Create(hidden: 8);
        var before = TutorialModel.WeightValues(model);
        var history = model.Fit(x, y, epochs: 2, verbose: 0, callbacks: [new BackupAndRestore(backup)]);

        Assert.Equal([0, 1], history.Epochs);   // started over instead of resuming at epoch 2
        Assert.Contains("cannot be resumed from", output.ToString());
        var quarantine = Assert.Single(Directory.GetDirectories(backup, "corrupt-*"));
        Assert.True(File.Exists(Path.Combine(quarantine, BackupAndRestore.StateFileName)));
        Assert.NotEqual(before, TutorialModel.WeightValues(model));   // it trained
    }

    [Fact]
    public void A_short_random_state_is_refused_when_the_state_is_read_before_any_weight_is_loaded()
    {
        var path = dir.Combine(BackupAndRestore.StateFileName);
        new TrainingState(1, "chkpt-1", new byte[10], [0], []).Write(path);
        var error = Assert.Throws<CorruptCheckpointException>(() => TrainingState.Read(path));
        Assert.Contains("random-generator state", error.Message);
    }

    [Fact]
    public void A_flipped_bit_in_the_training_state_fails_its_checksum()
    {
        var path = dir.Combine(BackupAndRestore.StateFileName);
        new TrainingState(1, "chkpt-1", RandomState.Capture(), [0], [new("loss", [0.25])]).Write(path);
        var bytes = File.ReadAllBytes(path);
        // The History value 0.25 (float64 0x3FD0000000000000, msgpack 0xcb + big-endian bytes): flip a bit of its mantissa.
        int at = IndexOf(bytes, [0xcb, 0x3f, 0xd0, 0, 0, 0, 0, 0, 0]);
        bytes[at + 8] ^= 0x01;
        File.WriteAllBytes(path, bytes);
        var error = Assert.Throws<CorruptCheckpointException>(() => TrainingState.Read(path));
        Assert.Contains("checksum", error.Message);
    }

    static int IndexOf(byte[] haystack, byte[] needle)
    {
        for (int i = 0; i + needle.Length <= haystack.Length; i++)
            if (haystack.AsSpan(i, needle.Length).SequenceEqual(needle)) return i;
        throw new InvalidOperationException("pattern not found in the state file");
    }
}
