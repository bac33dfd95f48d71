using Layerwise.Formats.Checkpoint;
using Layerwise.Tests.Formats.SavedModel;

namespace Layerwise.Tests.Formats.Checkpoint;

/// <summary>
/// <c>Checkpoint.ListVariables</c> (TensorFlow's <c>tf.train.list_variables</c>): keys, types and shapes
/// from a checkpoint's .index alone; the data shards are not needed (and reading values still needs them).
/// </summary>
public class CheckpointListVariablesTests
{
    const string TfFolder = "tf-checkpoint/training_2";

    [FixtureFact(TfFolder)]
    public void TensorFlows_checkpoint_index_alone_lists_its_variables()
    {
        using var dir = new TempDirectory();
        File.Copy(Path.Combine(Fixtures.Get(TfFolder), "cp-0000.ckpt.index"), dir.Combine("cp-0000.ckpt.index"));
        var expected = new (string Key, TensorDataType Type, long[] Shape)[]
        {
            ("_CHECKPOINTABLE_OBJECT_GRAPH", TensorDataType.String, []),
            ("layer_with_weights-0/bias/.ATTRIBUTES/VARIABLE_VALUE", TensorDataType.Float, [512]),
            ("layer_with_weights-0/kernel/.ATTRIBUTES/VARIABLE_VALUE", TensorDataType.Float, [784, 512]),
            ("layer_with_weights-1/bias/.ATTRIBUTES/VARIABLE_VALUE", TensorDataType.Float, [10]),
            ("layer_with_weights-1/kernel/.ATTRIBUTES/VARIABLE_VALUE", TensorDataType.Float, [512, 10]),
        };
        foreach (var path in new[] { dir.Combine("cp-0000.ckpt"), dir.Combine("cp-0000.ckpt.index") })
        {
            var listed = Layerwise.Checkpoint.ListVariables(path);
            Assert.Equal(expected.Select(e => e.Key), listed.Select(v => v.Key));
            Assert.Equal(expected.Select(e => e.Type), listed.Select(v => v.DataType));
            for (int i = 0; i < expected.Length; i++) Assert.Equal(expected[i].Shape, listed[i].Shape);
        }
        Assert.Equal("float32", Layerwise.Checkpoint.ListVariables(dir.Combine("cp-0000.ckpt"))[1].DataTypeName);
        // reading values needs the data file
        Assert.Throws<CheckpointNotFoundException>(() => BundleReader.Open(dir.Combine("cp-0000.ckpt")));
    }

    [Fact]
    public void Checkpoint_written_here_lists_weights_optimizer_state_and_slots_without_its_data()
    {
        using var dir = new TempDirectory();
        var model = TutorialModel.Create(hidden: 16);
        var (x, y) = TutorialModel.Data(32);
        model.Fit(x, y, epochs: 1, verbose: 0);
        var prefix = dir.Combine("cp.ckpt");
        model.SaveWeights(prefix);
        foreach (var data in Directory.GetFiles(dir.Path, "cp.ckpt.data-*")) File.Delete(data);

        var listed = Layerwise.Checkpoint.ListVariables(dir.Path).ToDictionary(v => v.Key);   // the directory: its latest checkpoint
        Assert.Equal([784, 16], listed["layer_with_weights-0/kernel/.ATTRIBUTES/VARIABLE_VALUE"].Shape);
        Assert.Equal([16], listed["layer_with_weights-0/bias/.ATTRIBUTES/VARIABLE_VALUE"].Shape);
        Assert.Equal([16, 10], listed["layer_with_weights-1/kernel/.ATTRIBUTES/VARIABLE_VALUE"].Shape);
        Assert.Equal([16, 10], listed["layer_with_weights-1/kernel/.OPTIMIZER_SLOT/optimizer/v/.ATTRIBUTES/VARIABLE_VALUE"].Shape);
        var iterations = listed["optimizer/iter/.ATTRIBUTES/VARIABLE_VALUE"];
        Assert.Equal((TensorDataType.Int64, 0), (iterations.DataType, iterations.Shape.Length));
        // 4 weights, 8 Adam slots, iter + learning_rate, decay, beta_1, beta_2, the object graph
        Assert.Equal(4 + 8 + 5 + 1, listed.Count);
        Assert.All(listed.Values.Where(v => v.Key.Contains("kernel") || v.Key.Contains("bias")), v => Assert.Equal(TensorDataType.Float, v.DataType));
        Assert.Equal(listed.Keys.Order(StringComparer.Ordinal), Layerwise.Checkpoint.ListVariables(prefix).Select(v => v.Key));
    }

    [FixtureFact(SavedModelFixture.Folder + "/candy")]
    public void SavedModel_directory_lists_its_variables_bundle()
    {
        var listed = Layerwise.Checkpoint.ListVariables(new SavedModelFixture("candy").Directory).ToDictionary(v => v.Key);
        Assert.Equal([1, 400], listed["variables/0/.ATTRIBUTES/VARIABLE_VALUE"].Shape);
        Assert.Equal([100, 400], listed["variables/1/.OPTIMIZER_SLOT/optimizer/m/.ATTRIBUTES/VARIABLE_VALUE"].Shape);
        Assert.Equal(TensorDataType.Int64, listed["optimizer/iter/.ATTRIBUTES/VARIABLE_VALUE"].DataType);
    }

    [Fact]
    public void Directory_without_a_checkpoint_is_refused()
    {
        using var dir = new TempDirectory();
        Assert.Throws<CheckpointNotFoundException>(() => Layerwise.Checkpoint.ListVariables(dir.Path));
        Assert.Throws<CheckpointNotFoundException>(() => Layerwise.Checkpoint.ListVariables(dir.Combine("nothing.ckpt")));
    }
}
