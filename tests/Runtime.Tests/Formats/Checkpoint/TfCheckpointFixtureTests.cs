using Layerwise.Formats.Checkpoint;
using static TorchSharp.torch;

namespace Layerwise.Tests.Formats.Checkpoint;

/// <summary>A checkpoint written by real TensorFlow (the tutorial's cp-0000.ckpt), read in place from shared/fixtures.</summary>
public class TfCheckpointFixtureTests
{
    const string Folder = "tf-checkpoint/training_2";
    static string Prefix => Path.Combine(Fixtures.Get(Folder), "cp-0000.ckpt");

    [FixtureFact(Folder)]
    public void Index_lists_the_four_weights_and_the_object_graph_with_their_shapes()
    {
        using var reader = BundleReader.Open(Prefix);
        Assert.Equal(1, reader.NumShards);
        var shapes = reader.Entries.ToDictionary(e => e.Key, e => e.Value.Shape);
        Assert.Equal([784, 512], shapes["layer_with_weights-0/kernel/.ATTRIBUTES/VARIABLE_VALUE"]);
        Assert.Equal([512], shapes["layer_with_weights-0/bias/.ATTRIBUTES/VARIABLE_VALUE"]);
        Assert.Equal([512, 10], shapes["layer_with_weights-1/kernel/.ATTRIBUTES/VARIABLE_VALUE"]);
        Assert.Equal([10], shapes["layer_with_weights-1/bias/.ATTRIBUTES/VARIABLE_VALUE"]);
        Assert.Equal(TensorDataType.String, reader.Entry("_CHECKPOINTABLE_OBJECT_GRAPH").DType);
        Assert.Equal(5, reader.Entries.Count);
        foreach (var key in reader.Entries.Keys) reader.Verify(key);
    }

    [FixtureFact(Folder)]
    public void Object_graph_maps_layer_children_to_checkpoint_keys()
    {
        using var reader = BundleReader.Open(Prefix);
        var graph = TrackableObjectGraph.Parse(reader.ReadString("_CHECKPOINTABLE_OBJECT_GRAPH"));
        Assert.Equal(9, graph.Nodes.Count);
        Assert.Equal(["layer_with_weights-0", "layer-0", "layer-1", "layer_with_weights-1", "layer-2", "optimizer", "root"],
                     graph.Nodes[0].Children.Select(c => c.LocalName));
        var kernel = graph.Find("layer_with_weights-1", "kernel");
        Assert.NotNull(kernel);
        Assert.Equal("layer_with_weights-1/kernel/.ATTRIBUTES/VARIABLE_VALUE", graph.VariableKey(kernel.Value));
    }

    [FixtureFact(Folder)]
    public void Loading_into_the_tutorial_model_gives_the_expected_logits()
    {
        var model = TutorialModel.Create();
        model.LoadWeights(Prefix);
        foreach (var input in new[] { "mnist8_784", "rand8_784" })
        {
            using var x = ReadFloats(Fixtures.Get($"inputs/{input}.f32"), [8, 784]);
            using var expected = ReadFloats(Path.Combine(Fixtures.Get(Folder), $"cp-0000.expected.{input}.f32"), [8, 10]);
            using var logits = model.Predict(x);
            double maxError = logits.sub(expected).abs().max().item<float>();
            Assert.True(maxError <= 1e-5, $"{input}: max |logit - expected| = {maxError}");
        }
    }

    [FixtureFact(Folder)]
    public void Latest_is_null_when_the_state_file_names_a_checkpoint_whose_files_are_missing()
    {
        Assert.Null(Layerwise.Checkpoint.Latest(Fixtures.Get(Folder)));
        var state = CheckpointState.Read(Fixtures.Get(Folder));
        Assert.Equal("cp-0050.ckpt", state!.ModelCheckpointPath);
    }

    [FixtureFact(Folder)]
    public void Our_object_graph_for_the_untrained_tutorial_model_matches_TensorFlows()
    {
        using var dir = new TempDirectory();
        var model = TutorialModel.Create();
        model.SaveWeights(dir.Combine("cp-0000.ckpt"));
        using var ours = BundleReader.Open(dir.Combine("cp-0000.ckpt"));
        using var theirs = BundleReader.Open(Prefix);
        Assert.Equal(theirs.Entries.Keys.Order(), ours.Entries.Keys.Order());
        var ourGraph = TrackableObjectGraph.Parse(ours.ReadString("_CHECKPOINTABLE_OBJECT_GRAPH"));
        var theirGraph = TrackableObjectGraph.Parse(theirs.ReadString("_CHECKPOINTABLE_OBJECT_GRAPH"));
        Assert.Equal(theirGraph.Nodes.Count, ourGraph.Nodes.Count);
        for (int i = 0; i < theirGraph.Nodes.Count; i++)
        {
            Assert.Equal(theirGraph.Nodes[i].Children, ourGraph.Nodes[i].Children);
            Assert.Equal(theirGraph.Nodes[i].HasCheckpointValues, ourGraph.Nodes[i].HasCheckpointValues);
            Assert.Equal(theirGraph.Nodes[i].Attributes.Select(a => (a.Name, a.CheckpointKey)), ourGraph.Nodes[i].Attributes.Select(a => (a.Name, a.CheckpointKey)));
        }
    }

    static Tensor ReadFloats(string path, long[] shape)
    {
        var bytes = File.ReadAllBytes(path);
        var floats = new float[bytes.Length / 4];
        Buffer.BlockCopy(bytes, 0, floats, 0, bytes.Length);
        return tensor(floats, shape);
    }
}
