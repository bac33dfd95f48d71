using Layerwise.Formats.Checkpoint;
using Layerwise.Layers;
using Layerwise.Models;
using static TorchSharp.torch;

namespace Layerwise.Tests.Formats.Checkpoint;

/// <summary>
/// TensorFlow keeps some non-trainable state as int64 (Normalization's <c>count</c>, as in the coffee and
/// stock_a SavedModel fixtures); the runtime's weights are float32, so such an entry is converted when
/// it lands in a non-trainable weight, and refused for a trainable one.
/// </summary>
public class CheckpointInt64CounterTests
{
    [Fact]
    public void Int64_value_of_a_non_trainable_weight_is_converted_and_of_a_trainable_one_refused()
    {
        using var dir = new TempDirectory();
        var source = new Sequential(new BatchNormalization(inputShape: [3]));
        source.SaveWeights(dir.Combine("float"));
        foreach (var (asInt64, loads) in new[] { ("moving_mean", true), ("gamma", false) })
        {
            var prefix = dir.Combine(asInt64);
            using (var reader = BundleReader.Open(dir.Combine("float")))
            using (var writer = new BundleWriter(prefix))
            {
                foreach (var key in reader.Entries.Keys.Order(StringComparer.Ordinal))
                {
                    if (key == "_CHECKPOINTABLE_OBJECT_GRAPH") { writer.AddString(key, reader.ReadString(key)); continue; }
                    using var value = key.Contains($"/{asInt64}/") ? tensor(new long[] { 5, -2, 40 }) : reader.ReadTensor(key);
                    writer.Add(key, value);
                }
                writer.Commit();
            }
            var model = new Sequential(new BatchNormalization(inputShape: [3]));
            var layer = model.Layers[0];
            var weight = layer.Weights.Single(w => w.Name == asInt64);
            if (loads)
            {
                model.LoadWeights(prefix);
                Assert.Equal([5f, -2f, 40f], weight.Value.detach().data<float>().ToArray());
            }
            else
            {
                var refusal = Assert.Throws<CheckpointMismatchException>(() => model.LoadWeights(prefix));
                Assert.Contains("is int64; expected float32", refusal.Message);
            }
        }
    }
}
