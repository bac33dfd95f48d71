using Google.Protobuf;
using Layerwise.Models;
using static TorchSharp.torch;

namespace Layerwise.Formats.Checkpoint;

/// <summary>
/// Restores a built model from a TF2 bundle: first a plan, so that a different architecture or a malformed
/// file leaves the model untouched (match every weight of the model to a checkpoint tensor through the object
/// graph, checking types, shapes and that every tensor lies inside its data file; the few scalars and int64
/// counters are read and checked here too), then one pass that reads each tensor straight into its weight or
/// optimizer slot on all cores, computing its CRC-32C on the bytes just read. No full-size staging copy is
/// made: the load's extra memory is a few chunks. A failure during that pass (an I/O error, a CRC mismatch)
/// throws <see cref="WeightsPartlyLoadedException"/>; with <c>verifyFirst</c>, every CRC is checked through
/// small buffers before the pass, so a damaged file leaves the model as it was.
/// </summary>
internal static class KerasCheckpointReader
{
    /// <param name="model">The built model to restore.</param>
    /// <param name="prefix">The checkpoint's prefix.</param>
    /// <param name="verifyFirst">Check every tensor's CRC-32C before writing any weight.</param>
    /// <param name="newModel">The model was just created by a loader that throws it away on failure: errors keep their own types.</param>
    public static void Restore(Model model, string prefix, bool verifyFirst, bool newModel = false)
    {
        using var reader = BundleReader.Open(prefix);
        var plan = new List<PlanItem>();
        var counters = new List<Tensor>();
        try
        {
            Plan(model, prefix, reader, plan, counters);
            if (verifyFirst) reader.VerifyAll(plan.Where(p => p.Destination is not null).Select(p => p.Key));
            Apply(reader, plan, newModel);
        }
        finally
        {
            foreach (var counter in counters) counter.Dispose();
        }
    }

    /// <summary>Writes the plan into the model: the scalars, then every tensor in one checked pass.</summary>
    static void Apply(BundleReader reader, List<PlanItem> plan, bool newModel)
    {
        using var _ = no_grad();
        var targets = new List<(string Key, Tensor Destination)>();
        foreach (var item in plan)
        {
            if (item.Apply is { } apply) apply(item.Key);
            else targets.Add((item.Key, item.Destination!()));
        }
        try
        {
            reader.ReadAllInto(targets);
        }
        catch (Exception e) when (!newModel && e is not WeightsPartlyLoadedException)
        {
            var key = (e as CheckpointException)?.Key ?? targets.FirstOrDefault().Key ?? "";
            var what = plan.FirstOrDefault(p => p.Key == key)?.What ?? $"tensor \"{key}\"";
            throw new WeightsPartlyLoadedException(reader.Contains(key) ? reader.DataPathOf(key) : reader.Prefix, key, what, e);
        }
    }

    static void Plan(Model model, string prefix, BundleReader reader, List<PlanItem> plan, List<Tensor> counters)
    {
        var graph = ReadGraph(reader);
        var layout = KerasCheckpointLayout.For(model, includeOptimizerState: model.Optimizer is not null);

        var used = new HashSet<string>(StringComparer.Ordinal);
        foreach (var weight in layout.Weights)
        {
            var variable = weight.Variable;
            var key = Resolve(graph, weight.GraphPath) ?? weight.Key;
            if (!reader.Contains(key))
                throw new CheckpointMismatchException(
                    $"Checkpoint \"{prefix}\" has no value for weight \"{variable.Path}\" of layer \"{variable.Owner.Name}\" " +
                    $"(expected key \"{key}\" in \"{reader.IndexPath}\"). The model's architecture differs from the one that was saved; " +
                    $"the checkpoint holds: {Describe(reader)}.", reader.IndexPath, key, variable.Owner.Name, variable.Name);
            used.Add(key);
            // A counter TensorFlow keeps as int64 (Normalization's count) in a non-trainable float weight: converted.
            if (!variable.Trainable && reader.Entry(key).DType == TensorDataType.Int64)
            {
                CheckTensor(reader, key, variable.Shape, $"weight \"{variable.Path}\" of layer \"{variable.Owner.Name}\"", variable.Owner.Name, variable.Name, TensorDataType.Int64);
                // Read (and its CRC checked) while planning: a small counter, so nothing can fail once writing begins.
                var counter = reader.ReadTensor(key);
                counters.Add(counter);
                plan.Add(new(key, null, _ => variable.Value.copy_(counter)));
                continue;
            }
            CheckTensor(reader, key, variable.Shape, $"weight \"{variable.Path}\" of layer \"{variable.Owner.Name}\"", variable.Owner.Name, variable.Name);
            plan.Add(new(key, () => variable.Value, null, $"weight \"{variable.Path}\""));
        }
        var extra = reader.Entries.Keys
            .Where(k => (k.StartsWith("layer_with_weights-", StringComparison.Ordinal) || k.StartsWith("layer-", StringComparison.Ordinal))
                        && !k.Contains("/.OPTIMIZER_SLOT/", StringComparison.Ordinal) && !IsRandomGeneratorState(k) && !used.Contains(k))
            .ToList();
        if (extra.Count > 0)
            throw new CheckpointMismatchException(
                $"Checkpoint \"{prefix}\" holds weights that model \"{model.Name}\" does not have: {string.Join(", ", extra.Take(5))}" +
                $"{(extra.Count > 5 ? $" and {extra.Count - 5} more" : "")}. The model's architecture differs from the one that was saved " +
                $"(the model has {layout.Weights.Count} weights in {model.Layers.Count(l => l.Weights.Count > 0)} layers with weights).",
                reader.IndexPath, extra[0], null, null);

        if (model.Optimizer is { } optimizer)
            PlanOptimizer(reader, graph, layout, optimizer, plan);
    }

    static void PlanOptimizer(BundleReader reader, TrackableObjectGraph? graph, KerasCheckpointLayout layout,
                              Training.Optimizers.Optimizer optimizer, List<PlanItem> plan)
    {
        // tf.keras 2's OptimizerV2 names them iter and learning_rate; the optimizers of tf.keras 2.11+ _iterations and _learning_rate.
        var iterKey = Resolve(graph, ["optimizer", "iter"]) ?? Resolve(graph, ["optimizer", "_iterations"]) ?? "optimizer/iter/.ATTRIBUTES/VARIABLE_VALUE";
        if (reader.Contains(iterKey))
        {
            CheckScalar(reader, iterKey, TensorDataType.Int64, "the optimizer's iteration counter");
            // Read and checked while planning: an impossible value must refuse the file before anything is assigned.
            long iterations;
            using (var value = reader.ReadTensor(iterKey)) iterations = value.item<long>();
            if (iterations < 0)
                throw new CorruptCheckpointException($"Checkpoint \"{reader.Prefix}\": the optimizer's iteration counter ({iterKey}) is {iterations}; it cannot be negative.", reader.IndexPath, iterKey);
            plan.Add(new(iterKey, null, _ => optimizer.Iterations = iterations));
        }
        var rateKey = Resolve(graph, ["optimizer", "learning_rate"]) ?? Resolve(graph, ["optimizer", "_learning_rate"]) ?? "optimizer/learning_rate/.ATTRIBUTES/VARIABLE_VALUE";
        if (reader.Contains(rateKey))
        {
            CheckScalar(reader, rateKey, TensorDataType.Float, "the optimizer's learning rate");
            float stored;
            using (var value = reader.ReadTensor(rateKey)) stored = value.item<float>();
            if (!(stored > 0) || float.IsInfinity(stored))
                throw new CorruptCheckpointException($"Checkpoint \"{reader.Prefix}\": the optimizer's learning rate ({rateKey}) is {stored}; a learning rate must be a positive finite number.", reader.IndexPath, rateKey);
            // Stored as float32: keep the exact double when it rounds to the stored value.
            plan.Add(new(rateKey, null, _ => { if ((float)optimizer.LearningRate != stored) optimizer.LearningRate = stored; }));
        }
        int? optimizerNode = graph?.Find("optimizer");
        var trainable = layout.Weights.Where(w => w.Variable.Trainable).ToList();
        for (int position = 0; position < trainable.Count; position++)
        {
            var weight = trainable[position];
            var variable = weight.Variable;
            for (int index = 0; index < optimizer.SlotNames.Count; index++)
            {
                string tfName = OptimizerSlotNames.Keras2(optimizer, optimizer.SlotNames[index]);
                string key = ResolveSlot(graph, optimizerNode, weight.GraphPath, tfName)
                    ?? ResolveListedSlot(graph, optimizer, optimizer.SlotNames[index], position, trainable.Count)
                    ?? $"{string.Join('/', weight.GraphPath)}/.OPTIMIZER_SLOT/optimizer/{tfName}/.ATTRIBUTES/VARIABLE_VALUE";
                if (!reader.Contains(key)) continue;
                CheckTensor(reader, key, variable.Shape, $"optimizer slot \"{tfName}\" of weight \"{variable.Path}\"", variable.Owner.Name, variable.Name);
                int slot = index;
                plan.Add(new(key, () => optimizer.EnsureSlots(variable)[slot], null, $"optimizer slot \"{tfName}\" of weight \"{variable.Path}\""));
            }
        }
    }

    /// <summary>
    /// A checkpoint tensor to restore: read into <see cref="Destination"/>'s memory, or handed to <see cref="Apply"/>
    /// (scalars and counters, read while planning); <see cref="What"/> names it in messages.
    /// </summary>
    sealed record PlanItem(string Key, Func<Tensor>? Destination, Action<string>? Apply, string? What = null);

    static TrackableObjectGraph? ReadGraph(BundleReader reader)
    {
        if (!reader.Contains(KerasCheckpointLayout.ObjectGraphKey)) return null;
        var bytes = reader.ReadString(KerasCheckpointLayout.ObjectGraphKey);
        try
        {
            return TrackableObjectGraph.Parse(bytes);
        }
        catch (InvalidProtocolBufferException e)
        {
            var path = reader.DataPathOf(KerasCheckpointLayout.ObjectGraphKey);
            throw new CorruptCheckpointException($"Checkpoint data file \"{path}\": the object graph ({KerasCheckpointLayout.ObjectGraphKey}) does not parse.",
                path, KerasCheckpointLayout.ObjectGraphKey, e);
        }
    }

    /// <summary>The checkpoint key of the variable at <paramref name="path"/> in the file's object graph, if the graph has it.</summary>
    static string? Resolve(TrackableObjectGraph? graph, string[] path) =>
        graph?.Find(path) is { } node ? graph.VariableKey(node) : null;

    static string? ResolveSlot(TrackableObjectGraph? graph, int? optimizerNode, string[] variablePath, string slotName)
    {
        if (graph is null || optimizerNode is null || graph.Find(variablePath) is not { } variableNode) return null;
        var reference = graph.Nodes[optimizerNode.Value].SlotVariables
            .FirstOrDefault(s => s.OriginalVariableNodeId == variableNode && s.SlotName == slotName);
        if (reference is null || reference.SlotVariableNodeId < 0 || reference.SlotVariableNodeId >= graph.Nodes.Count) return null;
        return graph.VariableKey(reference.SlotVariableNodeId);
    }

    /// <summary>
    /// The state of a layer's random generator (tf.keras 2.10+ <c>BaseRandomLayer._random_generator</c>,
    /// e.g. a Dropout's <c>layer-2/_random_generator/_generator/_state_var</c>): not a weight; the runtime
    /// seeds its own generator, as Keras reseeds when the layer is created from its config.
    /// </summary>
    static bool IsRandomGeneratorState(string key) => key.Contains("/_random_generator/", StringComparison.Ordinal);

    /// <summary>
    /// A slot as the optimizers of tf.keras 2.11-2.15 (<c>keras.optimizers.Optimizer</c>) save it: in a list
    /// per slot kind (Adam <c>optimizer/_momentums/i</c>, <c>_velocities/i</c>; SGD <c>momentums/i</c>;
    /// RMSprop <c>_velocities</c>, <c>_momentums</c>, <c>_average_gradients</c>), entry i for the i-th of the
    /// model's trainable variables, the order <c>apply_gradients</c> received them in. Used only when the
    /// list has one entry per trainable weight of the model; shapes are checked as for every slot.
    /// </summary>
    static string? ResolveListedSlot(TrackableObjectGraph? graph, Training.Optimizers.Optimizer optimizer, string slot, int position, int trainableCount)
    {
        string? list = (optimizer, slot) switch
        {
            (Training.Optimizers.Adam, "m") => "_momentums",
            (Training.Optimizers.Adam, "v") => "_velocities",
            (Training.Optimizers.SGD, "momentum") => "momentums",
            (Training.Optimizers.RMSprop, "velocity") => "_velocities",
            (Training.Optimizers.RMSprop, "momentum") => "_momentums",
            (Training.Optimizers.RMSprop, "average_gradient") => "_average_gradients",
            _ => null,
        };
        if (graph is null || list is null || graph.Find("optimizer", list) is not { } listNode || graph.Nodes[listNode].Children.Count != trainableCount)
            return null;
        return graph.Find("optimizer", list, position.ToString(System.Globalization.CultureInfo.InvariantCulture)) is { } node ? graph.VariableKey(node) : null;
    }

    static void CheckTensor(BundleReader reader, string key, long[] shape, string what, string layer, string variable,
                            TensorDataType dataType = TensorDataType.Float)
    {
        var entry = reader.Entry(key);
        if (entry.DType != dataType)
            throw new CheckpointMismatchException(
                $"Checkpoint tensor \"{key}\" in \"{reader.IndexPath}\" for {what} is {TensorDataTypes.Name(entry.DType)}; expected {TensorDataTypes.Name(dataType)}.",
                reader.IndexPath, key, layer, variable);
        if (!entry.Shape.SequenceEqual(shape))
            throw new CheckpointMismatchException(
                $"Shape mismatch for {what}: the model expects {ShapeText.Format(shape)}, but checkpoint tensor \"{key}\" in \"{reader.IndexPath}\" " +
                $"has shape {ShapeText.Format(entry.Shape)}. The model's architecture differs from the one that was saved; nothing was loaded.",
                reader.IndexPath, key, layer, variable);
    }

    static void CheckScalar(BundleReader reader, string key, TensorDataType type, string what)
    {
        var entry = reader.Entry(key);
        if (entry.DType != type || entry.Shape.Length != 0)
            throw new CheckpointMismatchException(
                $"Checkpoint tensor \"{key}\" in \"{reader.IndexPath}\" for {what} is {TensorDataTypes.Name(entry.DType)} of shape {ShapeText.Format(entry.Shape)}; " +
                $"expected a {TensorDataTypes.Name(type)} scalar.", reader.IndexPath, key, null, null);
    }

    static string Describe(BundleReader reader)
    {
        var keys = reader.Entries.Where(e => e.Key != KerasCheckpointLayout.ObjectGraphKey)
            .Select(e => $"{e.Key} {ShapeText.Format(e.Value.Shape)}").ToList();
        return keys.Count == 0 ? "no tensors" : string.Join(", ", keys.Take(8)) + (keys.Count > 8 ? $" and {keys.Count - 8} more" : "");
    }
}
