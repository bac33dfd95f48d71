using Layerwise.Callbacks;

namespace Layerwise.Tests.Callbacks;

/// <summary>
/// ModelCheckpoint's maxToKeep across a restart: a new run (a new callback, as after the process was
/// killed) counts the checkpoints the earlier run left, as tf.train.CheckpointManager reads them back
/// from the <c>checkpoint</c> file, so the folder keeps maxToKeep of them, not maxToKeep per run.
/// Checkpoints of another template in the folder are not counted (nor deleted).
/// </summary>
public class ModelCheckpointRestartTests
{
    [Theory]
    [InlineData("cp-{epoch:02d}.ckpt", true, "cp-*.ckpt.index")]
    [InlineData("cp-{epoch:02d}.weights.h5", true, "cp-*.weights.h5")]
    [InlineData("cp-{epoch:02d}.keras", false, "cp-*.keras")]
    public void A_restarted_run_keeps_maxToKeep_checkpoints_in_all(string template, bool weightsOnly, string pattern)
    {
        using var dir = new TempDirectory();
        var (x, y) = TutorialModel.Data(16);
        File.WriteAllText(dir.Combine("other-01.keras"), "another writer's file");

        var first = TutorialModel.Create(hidden: 16);
        first.Fit(x, y, batchSize: 16, epochs: 5, verbose: 0, callbacks: [new ModelCheckpoint(dir.Combine(template), saveWeightsOnly: weightsOnly, maxToKeep: 3)]);
        Assert.Equal(3, Directory.GetFiles(dir.Path, pattern).Length + Directory.GetDirectories(dir.Path, pattern).Length);

        // The restarted run names its epochs 1, 2 again: it must count cp-03..cp-05 of the first run.
        var restarted = TutorialModel.Create(hidden: 16);
        var checkpoint = new ModelCheckpoint(dir.Combine(template), saveWeightsOnly: weightsOnly, maxToKeep: 3);
        restarted.Fit(x, y, batchSize: 16, epochs: 2, verbose: 0, callbacks: [checkpoint]);
        var left = Directory.GetFiles(dir.Path, pattern).Select(Path.GetFileName).Order().ToList();
        Assert.Equal(3, left.Count);
        Assert.Equal(["01", "02", "05"], left.Select(f => f!.Substring(3, 2)));
        Assert.Equal(3, checkpoint.Saved.Count);
        Assert.True(File.Exists(dir.Combine("other-01.keras")), "another template's file is not this callback's to delete");
    }
}
