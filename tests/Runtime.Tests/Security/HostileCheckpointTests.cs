using Layerwise.Formats.Checkpoint;
using static TorchSharp.torch;

namespace Layerwise.Tests.Security;

/// <summary>TensorFlow checkpoints whose values are well-formed (CRCs right) but impossible for the optimizer.</summary>
public class HostileCheckpointTests : IDisposable
{
    readonly TempDirectory dir = new();

    public HostileCheckpointTests() => TutorialModel.SingleThread();

    public void Dispose() => dir.Dispose();

    [Theory]
    [InlineData(0f)]
    [InlineData(-0.5f)]
    [InlineData(float.NaN)]
    public void A_learning_rate_that_is_not_positive_is_refused_before_anything_is_assigned(float rate)
    {
        var (x, y) = TutorialModel.Data(16);
        var trained = TutorialModel.Create(hidden: 4);
        trained.Fit(x, y, epochs: 1, batchSize: 8, verbose: 0);
        var original = dir.Combine($"cp{rate}");
        trained.SaveWeights(original);
        var forged = dir.Combine($"forged{rate}");
        // Rewritten with BundleWriter, so every CRC is right: only the learning rate's value is impossible.
        using (var reader = BundleReader.Open(original))
        using (var writer = new BundleWriter(forged))
        {
            foreach (var (key, entry) in reader.Entries)
            {
                if (entry.DType == TensorDataType.String) writer.AddString(key, reader.ReadString(key));
                else if (key.Contains("learning_rate", StringComparison.Ordinal)) { using var bad = tensor(rate); writer.Add(key, bad); }
                else { using var value = reader.ReadTensor(key); writer.Add(key, value); }
            }
            writer.Commit();
        }
        var model = TutorialModel.Create(hidden: 4);
        var before = TutorialModel.WeightValues(model);
        var error = Assert.Throws<CorruptCheckpointException>(() => model.LoadWeights(forged));
        Assert.Contains("learning rate", error.Message);
        Assert.Equal(before, TutorialModel.WeightValues(model));
        Assert.Equal(0, model.Optimizer!.Iterations);
    }
}
