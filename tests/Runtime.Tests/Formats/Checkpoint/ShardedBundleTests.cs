using System.Text;
using Layerwise.Formats.Checkpoint;

namespace Layerwise.Tests.Formats.Checkpoint;

/// <summary>Bundles split over several data files (<c>data-0000k-of-0000N</c>), as multi-worker TensorFlow writes them.</summary>
public class ShardedBundleTests
{
    [Fact]
    public void A_checkpoint_split_over_two_shards_loads_like_the_single_shard_one()
    {
        using var dir = new TempDirectory();
        var model = TutorialModel.Create(hidden: 16);
        var (x, y) = TutorialModel.Data(32);
        model.Fit(x, y, epochs: 1, verbose: 0);
        var single = dir.Combine("single");
        model.SaveWeights(single);

        // Rewrite it as two shards: layer_with_weights-1's tensors in shard 1, the rest in shard 0.
        var sharded = dir.Combine("sharded");
        var data = File.ReadAllBytes(single + ".data-00000-of-00001");
        var table = SortedTableReader.ReadAll(File.ReadAllBytes(single + ".index"), single + ".index");
        var shards = new[] { new MemoryStream(), new MemoryStream() };
        using (var index = File.Create(sharded + ".index"))
        {
            var writer = new SortedTableWriter(index);
            writer.Add([], new BundleHeader(2, false, BundleHeader.Version, 0).ToBytes());
            foreach (var (key, value) in table.Skip(1))
            {
                var entry = BundleEntry.Parse(value, out _);
                int shard = key.StartsWith("layer_with_weights-1/", StringComparison.Ordinal) ? 1 : 0;
                long offset = shards[shard].Position;
                shards[shard].Write(data, (int)entry.Offset, (int)entry.Size);
                writer.Add(Encoding.UTF8.GetBytes(key), (entry with { ShardId = shard, Offset = offset }).ToBytes());
            }
            writer.Finish();
        }
        for (int s = 0; s < 2; s++) File.WriteAllBytes($"{sharded}.data-0000{s}-of-00002", shards[s].ToArray());

        using (var reader = BundleReader.Open(sharded))
        {
            Assert.Equal(2, reader.NumShards);
            Assert.EndsWith("sharded.data-00001-of-00002", reader.DataPathOf("layer_with_weights-1/kernel/.ATTRIBUTES/VARIABLE_VALUE"));
        }
        var restored = TutorialModel.Create(hidden: 16);
        restored.LoadWeights(sharded);
        Assert.Equal(TutorialModel.WeightValues(model), TutorialModel.WeightValues(restored));
        Assert.Equal(model.Optimizer!.Iterations, restored.Optimizer!.Iterations);

        File.Delete(sharded + ".data-00001-of-00002");
        var e = Assert.Throws<CheckpointNotFoundException>(() => TutorialModel.Create(hidden: 16).LoadWeights(sharded));
        Assert.EndsWith("sharded.data-00001-of-00002", e.FilePath);
    }
}
