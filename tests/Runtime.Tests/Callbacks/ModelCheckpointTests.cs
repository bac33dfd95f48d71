using Layerwise.Callbacks;
using Layerwise.Formats.Checkpoint;

namespace Layerwise.Tests.Callbacks;

public class ModelCheckpointTests : IDisposable
{
    readonly TempDirectory dir = new();
    readonly StringWriter output = new();

    public ModelCheckpointTests()
    {
        TutorialModel.SingleThread();
        Output.Writer = output;
    }

    public void Dispose() => dir.Dispose();

    [Fact]
    public void Saves_every_epoch_to_one_prefix_and_prints_what_Keras_prints()
    {
        var path = dir.Combine("training_1", "cp.ckpt");
        var model = TutorialModel.Create(hidden: 16);
        var (x, y) = TutorialModel.Data(64);
        var cp = new ModelCheckpoint(path, saveWeightsOnly: true, verbose: 1);
        model.Fit(x, y, epochs: 2, validationData: (x, y), callbacks: [cp], verbose: 0);

        Assert.Equal($"\nEpoch 1: saving model to {path}\n\nEpoch 2: saving model to {path}\n", output.ToString().Replace("\r\n", "\n"));
        Assert.Equal(["checkpoint", "cp.ckpt.data-00000-of-00001", "cp.ckpt.index"],
                     Directory.GetFiles(dir.Combine("training_1")).Select(Path.GetFileName).Order());
        Assert.Equal(path, Checkpoint.Latest(dir.Combine("training_1")));
        var restored = TutorialModel.Create(hidden: 16);
        restored.LoadWeights(path);
        Assert.Equal(TutorialModel.WeightValues(model), TutorialModel.WeightValues(restored));
    }

    [Fact]
    public void Save_freq_in_batches_names_files_by_the_epoch_it_falls_in()
    {
        var template = dir.Combine("training_2", "cp-{epoch:04d}.ckpt");
        var model = TutorialModel.Create(hidden: 8);
        var (x, y) = TutorialModel.Data(64); // 2 batches of 32 per epoch
        model.SaveWeights(template.Replace("{epoch:04d}", "0000"));
        var cp = new ModelCheckpoint(template, verbose: 1, saveWeightsOnly: true, saveFreq: 2 * 2);
        model.Fit(x, y, epochs: 6, callbacks: [cp], verbose: 0);

        var lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(new[] { 2, 4, 6 }.Select(e => $"Epoch {e}: saving model to {template.Replace("{epoch:04d}", $"{e:0000}")}"), lines);
        var files = Directory.GetFiles(dir.Combine("training_2")).Select(Path.GetFileName).Order().ToList();
        Assert.Equal(["checkpoint", .. new[] { 0, 2, 4, 6 }.SelectMany(e => new[] { $"cp-{e:0000}.ckpt.data-00000-of-00001", $"cp-{e:0000}.ckpt.index" })], files);
        Assert.Equal(dir.Combine("training_2", "cp-0006.ckpt"), Checkpoint.Latest(dir.Combine("training_2")));
    }

    [Fact]
    public void Save_best_only_prints_improvements_and_skips_the_rest()
    {
        var path = dir.Combine("best.ckpt");
        var model = TutorialModel.Create(hidden: 8);
        var (x, y) = TutorialModel.Data(64);
        // Loss falls while training, so in "max" mode only the first epoch improves.
        var cp = new ModelCheckpoint(path, monitor: "loss", mode: "max", saveBestOnly: true, saveWeightsOnly: true, verbose: 1);
        var history = model.Fit(x, y, epochs: 3, callbacks: [cp], verbose: 0);
        var losses = history["loss"];
        var lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal($"Epoch 1: loss improved from -inf to {losses[0]:F5}, saving model to {path}", lines[0]);
        Assert.Equal($"Epoch 2: loss did not improve from {losses[0]:F5}", lines[1]);
        Assert.Equal(losses[0], cp.Best);
        Assert.True(Checkpoint.Exists(path));
    }

    [Fact]
    public void Initial_value_threshold_must_be_beaten_before_anything_is_saved()
    {
        var path = dir.Combine("never.ckpt");
        var model = TutorialModel.Create(hidden: 8);
        var (x, y) = TutorialModel.Data(32);
        var cp = new ModelCheckpoint(path, monitor: "loss", saveBestOnly: true, saveWeightsOnly: true, initialValueThreshold: 0, verbose: 1);
        model.Fit(x, y, epochs: 2, callbacks: [cp], verbose: 0);
        Assert.False(Checkpoint.Exists(path));
        Assert.Contains("Epoch 2: loss did not improve from 0.00000", output.ToString());
    }

    [Fact]
    public void Templates_take_logged_metrics_and_max_to_keep_deletes_older_checkpoints()
    {
        var template = dir.Combine("keep", "w-{epoch:02d}-{val_loss:.2f}");
        var model = TutorialModel.Create(hidden: 8);
        var (x, y) = TutorialModel.Data(32);
        var cp = new ModelCheckpoint(template, saveWeightsOnly: true, maxToKeep: 2);
        var history = model.Fit(x, y, epochs: 4, validationData: (x, y), callbacks: [cp], verbose: 0);
        var names = history["val_loss"].Select((v, i) => $"w-{i + 1:00}-{v:F2}").ToList();
        Assert.Equal(names.TakeLast(2).Select(n => dir.Combine("keep", n)), cp.Saved);
        var indexes = Directory.GetFiles(dir.Combine("keep"), "*.index").Select(Path.GetFileNameWithoutExtension).Order();
        Assert.Equal(names.TakeLast(2).Order(), indexes);
        var state = CheckpointState.Read(dir.Combine("keep"))!;
        Assert.Equal(names.TakeLast(2), state.AllModelCheckpointPaths);
        Assert.Equal(names[^1], state.ModelCheckpointPath);
    }

    [Fact]
    public void Whole_model_saving_writes_loadable_model_files_and_keeps_max_to_keep()
    {
        using var dir = new TempDirectory();
        var (x, y) = TutorialModel.Data(64);
        var model = TutorialModel.Create(hidden: 8);
        var callback = new ModelCheckpoint(dir.Combine("m-{epoch:02d}.h5"), maxToKeep: 2);

        model.Fit(x, y, epochs: 3, verbose: 0, callbacks: [callback]);

        Assert.Equal(["m-02.h5", "m-03.h5"], Directory.GetFiles(dir.Path).Select(Path.GetFileName).Order());
        var loaded = Layerwise.Models.Model.Load(dir.Combine("m-03.h5"));
        using var expected = model.Predict(x);
        using var actual = loaded.Predict(x);
        Assert.True(expected.equal(actual).all().item<bool>());
        Assert.True(loaded.IsCompiled);
    }

    [Theory]
    [InlineData("cp-{epoch:04d}.ckpt", "cp-0007.ckpt")]
    [InlineData("w.{epoch:02d}-{val_loss:.2f}.ckpt", "w.07-0.72.ckpt")]
    [InlineData("{epoch}-{loss}", "7-1.5")]
    [InlineData("{loss:.3e}", "1.500e+00")]
    [InlineData("{{literal}}-{epoch:3d}", "{literal}-  7")]
    public void File_path_templates_follow_python_str_format(string template, string expected)
    {
        var logs = new Dictionary<string, double> { ["loss"] = 1.5, ["val_loss"] = 0.7180 };
        Assert.Equal(expected, FilepathTemplate.Format(template, 7, null, logs));
    }

    [Fact]
    public void A_template_field_without_a_value_says_which_are_available()
    {
        var e = Assert.Throws<ArgumentException>(() => FilepathTemplate.Format("{val_acc}", 1, null, new Dictionary<string, double> { ["loss"] = 1 }));
        Assert.Contains("val_acc", e.Message);
        Assert.Contains("loss", e.Message);
    }
}
