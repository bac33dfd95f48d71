using static Layerwise.Tests.Training.SampleWeightFixture;
using static TorchSharp.torch;

namespace Layerwise.Tests.Training;

/// <summary>Shuffling moves each weight with its sample. Seeded: runs alone (see <see cref="GlobalRandomState"/>).</summary>
[Collection(GlobalRandomState.Name)]
public class SampleWeightShuffleTests
{
    [Fact]
    public void Shuffled_batches_keep_each_weight_with_its_sample()
    {
        // Samples 1, 3 and 5 have weight 0: their labels must not matter, whatever batch they land in. A weight
        // travelling to another sample would zero a different sample and let the changed labels in.
        var w = tensor(new float[] { 1, 0, 2, 0, 0.5f, 0 });
        var labels = Labels();
        var otherLabels = labels.clone();
        otherLabels[1] = tensor(0L); otherLabels[3] = tensor(2L); otherLabels[5] = tensor(1L);

        float[] Train(Tensor y, bool shuffle)
        {
            Backend.SetRandomSeed(11);
            var model = Model();
            model.Fit(X(), y, batchSize: 2, epochs: 3, verbose: 0, shuffle: shuffle, sampleWeight: w);
            return Parameters(model);
        }

        var shuffled = Train(labels, shuffle: true);
        Assert.True(shuffled.AsSpan().SequenceEqual(Train(otherLabels, shuffle: true)), "a zero weight left its sample");
        Assert.False(shuffled.AsSpan().SequenceEqual(Train(labels, shuffle: false)), "the seeded run should have shuffled");
    }
}
