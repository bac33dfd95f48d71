using Layerwise.Formats.Checkpoint;
using Layerwise.Layers;
using Layerwise.Models;
using Layerwise.Training.Losses;
using Layerwise.Training.Optimizers;
using static TorchSharp.torch;

namespace Layerwise.Tests.Formats.Checkpoint;

/// <summary>
/// The optimizer layout of tf.keras 2.11-2.15 (<c>keras.optimizers.Optimizer</c>, as in the kroax_denoiser
/// SavedModel fixture): <c>optimizer/_iterations</c>, <c>optimizer/_learning_rate</c>, and slots in lists,
/// <c>optimizer/_momentums/i</c> and <c>_velocities/i</c> for the i-th trainable variable, their values under
/// <c>optimizer/_variables/k</c> keys. The bundle is written here node by node as TensorFlow lays it out.
/// </summary>
public class KerasOptimizerListSlotsTests
{
    [Fact]
    public void Adam_slots_kept_in_lists_are_restored_by_trainable_variable_order()
    {
        using var dir = new TempDirectory();
        var prefix = dir.Combine("ckpt");
        var generator = new Generator(3);
        var weights = new (string Layer, string Name, long[] Shape)[]
        {
            ("layer_with_weights-0", "kernel", [3, 4]), ("layer_with_weights-0", "bias", [4]),
            ("layer_with_weights-1", "kernel", [4, 2]), ("layer_with_weights-1", "bias", [2]),
        };
        var values = weights.Select(w => rand(w.Shape, generator: generator)).ToArray();
        var m = weights.Select(w => rand(w.Shape, generator: generator)).ToArray();
        var v = weights.Select(w => rand(w.Shape, generator: generator)).ToArray();

        var graph = new TrackableObjectGraph();
        TrackableNode Node() { var n = new TrackableNode { HasCheckpointValues = true }; graph.Nodes.Add(n); return n; }
        int Variable(string key) { var n = Node(); n.Attributes.Add(new TrackableAttribute("VARIABLE_VALUE", key, key)); return graph.Nodes.Count - 1; }
        var root = Node();
        var layers = new[] { Node(), Node() };
        for (int i = 0; i < 2; i++)
        {
            root.Children.Add(new TrackableChild(i + 1, $"layer_with_weights-{i}"));
            root.Children.Add(new TrackableChild(i + 1, $"layer-{i}"));
        }
        var optimizer = Node();
        root.Children.Add(new TrackableChild(3, "optimizer"));
        using var writer = new BundleWriter(prefix);
        for (int i = 0; i < weights.Length; i++)
        {
            var key = $"{weights[i].Layer}/{weights[i].Name}/.ATTRIBUTES/VARIABLE_VALUE";
            layers[i / 2].Children.Add(new TrackableChild(Variable(key), weights[i].Name));
            writer.Add(key, values[i]);
        }
        var variables = Node();
        var momentums = Node();
        var velocities = Node();
        optimizer.Children.Add(new TrackableChild(graph.Nodes.IndexOf(variables), "_variables"));
        int iterations = Variable("optimizer/_iterations/.ATTRIBUTES/VARIABLE_VALUE");
        optimizer.Children.Add(new TrackableChild(iterations, "_iterations"));
        optimizer.Children.Add(new TrackableChild(Variable("optimizer/_learning_rate/.ATTRIBUTES/VARIABLE_VALUE"), "_learning_rate"));
        optimizer.Children.Add(new TrackableChild(graph.Nodes.IndexOf(momentums), "_momentums"));
        optimizer.Children.Add(new TrackableChild(graph.Nodes.IndexOf(velocities), "_velocities"));
        variables.Children.Add(new TrackableChild(iterations, "0"));
        writer.Add("optimizer/_iterations/.ATTRIBUTES/VARIABLE_VALUE", tensor(7L));
        writer.Add("optimizer/_learning_rate/.ATTRIBUTES/VARIABLE_VALUE", tensor(0.001f));
        for (int i = 0; i < weights.Length; i++)
        {
            // Keras appends m then v for each variable: _variables/1 = m0, 2 = v0, 3 = m1, ...
            foreach (var (list, slot, k) in new[] { (momentums, m[i], 2 * i + 1), (velocities, v[i], 2 * i + 2) })
            {
                var key = $"optimizer/_variables/{k}/.ATTRIBUTES/VARIABLE_VALUE";
                int node = Variable(key);
                list.Children.Add(new TrackableChild(node, i.ToString()));
                variables.Children.Add(new TrackableChild(node, k.ToString()));
                writer.Add(key, slot);
            }
        }
        writer.AddString("_CHECKPOINTABLE_OBJECT_GRAPH", graph.ToBytes());
        writer.Commit();

        var model = new Sequential(new Dense(4, inputShape: [3]), new Dense(2));
        model.Compile(new Adam(), new MeanSquaredError());
        model.LoadWeights(prefix);

        var adam = (Adam)model.Optimizer!;
        Assert.Equal(7, adam.Iterations);
        var trainable = model.Layers.SelectMany(l => l.Weights).ToList();
        for (int i = 0; i < weights.Length; i++)
        {
            Assert.True(values[i].equal(trainable[i].Value.detach()).all().item<bool>(), $"weight {i}");
            Assert.True(m[i].equal(adam.GetSlot(trainable[i], "m")).all().item<bool>(), $"m of weight {i}");
            Assert.True(v[i].equal(adam.GetSlot(trainable[i], "v")).all().item<bool>(), $"v of weight {i}");
        }
    }
}
