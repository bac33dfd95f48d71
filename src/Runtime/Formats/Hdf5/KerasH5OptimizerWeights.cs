using Layerwise.Layers;
using Layerwise.Models;
using Layerwise.Training.Optimizers;
using PureHDF;

namespace Layerwise.Formats.Hdf5;

/// <summary>
/// The <c>optimizer_weights</c> group of a Keras 2 .h5: attribute <c>weight_names</c> and one dataset
/// per name. Written as tf.keras 2.x (optimizer_v2) names them: <c>Adam/iter:0</c>, then each slot for
/// each variable, <c>Adam/dense/kernel/m:0</c>. Read from every form real files have: that one,
/// TF 2.11+'s <c>Adam/m/dense/kernel:0</c> with <c>iteration:0</c>, Keras 3 legacy h5's
/// <c>adam/sequential_dense_kernel_momentum</c>, and Keras 2.2's positional
/// <c>training/Adam/Variable_N:0</c> (iterations, then every m, then every v).
/// </summary>
internal static class KerasH5OptimizerWeights
{
    public static void Write(Model model, Optimizer optimizer, H5Group group)
    {
        var prefix = optimizer.ClassName;
        var names = new List<string>();
        names.Add($"{prefix}/iter:0");
        Hdf5Output.Put(group, $"{prefix}/iter:0", new H5Dataset(optimizer.Iterations));
        if (optimizer is Nadam nadam)
        {
            // tf.keras 2's Nadam keeps its schedule product as a weight after iter; read back, it is recomputed.
            names.Add($"{prefix}/momentum_cache:0");
            Hdf5Output.Put(group, $"{prefix}/momentum_cache:0", new H5Dataset((float)nadam.MomentumScheduleProduct(optimizer.Iterations)));
        }
        var variables = model.TrainableWeights.Where(v => optimizer.SlotVariables.Contains(v)).ToList();
        var kerasNames = variables.Select(v => KerasH5Weights.WeightName(model, v)).ToList();
        // tf.keras' names can repeat (layers of a nested model named like the outer model's); the paths cannot.
        if (kerasNames.Distinct(StringComparer.Ordinal).Count() != kerasNames.Count) kerasNames = [.. variables.Select(v => v.Path)];
        foreach (var slot in optimizer.SlotNames)
        {
            for (int i = 0; i < variables.Count; i++)
            {
                var variable = variables[i];
                // optimizer_v2 names a slot after its variable's full name: Adam/lstm/lstm_cell/kernel/m:0.
                var name = $"{prefix}/{kerasNames[i]}/{OptimizerSlotNames.Keras2(optimizer, slot)}:0";
                names.Add(name);
                Hdf5Output.Put(group, name, Hdf5Output.Dataset(optimizer.GetSlot(variable, slot)));
            }
        }
        Hdf5Output.AddStringList(group.Attributes, "weight_names", names);
    }

    /// <summary>
    /// Stages the optimizer state of <paramref name="group"/> for <paramref name="model"/>. Returns
    /// null when it was staged, or a sentence saying why the state was left out (Keras does the same:
    /// it warns and starts with a fresh optimizer when the state does not match).
    /// </summary>
    public static string? Read(Hdf5Input input, PureHDF.IH5Group group, Model model, Optimizer optimizer, StagedWeights staged)
    {
        var names = input.ReadStringList(group, "weight_names");
        var trainable = model.TrainableWeights;
        var byKerasName = new Dictionary<string, Variable>(StringComparer.Ordinal);
        var repeated = new HashSet<string>(StringComparer.Ordinal);
        foreach (var v in trainable)
            if (!byKerasName.TryAdd(KerasH5Weights.WeightName(model, v), v)) repeated.Add(KerasH5Weights.WeightName(model, v));
        foreach (var name in repeated) byKerasName.Remove(name);
        var slotEntries = new List<(string Name, Variable? Variable, string? Slot)>();
        foreach (var name in names)
        {
            var bare = name.EndsWith(":0", StringComparison.Ordinal) ? name[..^2] : name;
            var last = bare[(bare.LastIndexOf('/') + 1)..];
            if (last is "iter" or "iterations" or "iteration")
            {
                staged.Iterations = input.ReadInteger(group, name);
                continue;
            }
            // Hyperparameters some versions store as variables (the compile config has them).
            if (last is "learning_rate" or "lr" or "decay" or "beta_1" or "beta_2" or "rho" or "epsilon"
                    or "learning_rate_power" or "l1_regularization_strength" or "l2_regularization_strength" or "beta"
                || OptimizerSlotNames.IsDerivedScalar(last)
                || (last == "momentum" && bare.Count(c => c == '/') == 1))
                continue;
            var (variable, slot) = Match(bare, model, trainable, byKerasName, optimizer);
            slotEntries.Add((name, variable, slot));
        }
        if (slotEntries.Count == 0) return null;
        if (slotEntries.All(e => e.Variable is not null))
        {
            foreach (var (name, variable, slot) in slotEntries)
                if (!StageSlot(input, group, name, optimizer, variable!, slot!, staged, out var problem)) return problem;
            return null;
        }
        // Keras 2.2 and Keras 1: unnamed variables, in the order slots were created: all of slot 0, all of slot 1, ...
        int n = trainable.Count, slots = optimizer.SlotNames.Count;
        if (n == 0 || slots == 0 || slotEntries.Count < n * slots)
            return $"its {slotEntries.Count} optimizer variables do not match the {slots} slot(s) of {optimizer.ClassName} for {n} trainable weights";
        for (int s = 0; s < slots; s++)
            for (int i = 0; i < n; i++)
                if (!StageSlot(input, group, slotEntries[s * n + i].Name, optimizer, trainable[i], optimizer.SlotNames[s], staged, out var problem)) return problem;
        return null;
    }

    static bool StageSlot(Hdf5Input input, PureHDF.IH5Group group, string name, Optimizer optimizer, Variable variable, string slot, StagedWeights staged, out string? problem)
    {
        var (dataset, shape) = input.FloatDataset(group, name);
        if (!shape.SequenceEqual(variable.Shape))
        {
            problem = $"optimizer variable \"{name}\" has shape {ShapeText.Format(shape)} but weight \"{variable.Path}\" has shape {ShapeText.Format(variable.Shape)}";
            return false;
        }
        input.ReadSlot(staged, optimizer, variable, slot, dataset, Hdf5Input.Join(group, name));
        problem = null;
        return true;
    }

    /// <summary>The variable and runtime slot a named optimizer variable belongs to, or (null, null).</summary>
    static (Variable?, string?) Match(string bare, Model model, IReadOnlyList<Variable> trainable, Dictionary<string, Variable> byKerasName, Optimizer optimizer)
    {
        var parts = bare.Split('/');
        // tf.keras <= 2.10: Adam/dense/kernel/m
        if (parts.Length >= 4 && OptimizerSlotNames.FromFile(optimizer, parts[^1]) is { } slotA
            && Find(byKerasName, trainable, string.Join('/', parts[1..^1])) is { } variableA)
            return (variableA, slotA);
        // tf.keras 2.11 - 2.15: Adam/m/dense/kernel
        if (parts.Length >= 4 && OptimizerSlotNames.FromFile(optimizer, parts[1]) is { } slotB
            && Find(byKerasName, trainable, string.Join('/', parts[2..])) is { } variableB)
            return (variableB, slotB);
        // Keras 3 legacy h5: adam/sequential_dense_kernel_momentum
        if (parts.Length == 2)
        {
            foreach (var fileSlot in OptimizerSlotNames.Keras3Names(optimizer))
            {
                if (!parts[1].EndsWith("_" + fileSlot, StringComparison.Ordinal)) continue;
                var key = parts[1][..^(fileSlot.Length + 1)];
                var slot = OptimizerSlotNames.FromFile(optimizer, fileSlot);
                var variable = trainable.FirstOrDefault(v => key == v.Path.Replace('/', '_') || key == $"{model.Name}_{v.Path.Replace('/', '_')}");
                if (slot is not null && variable is not null) return (variable, slot);
            }
        }
        return (null, null);
    }

    /// <summary>The variable named <paramref name="path"/> as tf.keras names it (<c>lstm/lstm_cell/kernel</c>) or by its path (earlier Layerwise files: <c>lstm_cell/kernel</c>).</summary>
    static Variable? Find(Dictionary<string, Variable> byKerasName, IReadOnlyList<Variable> variables, string path) =>
        byKerasName.GetValueOrDefault(path) ?? variables.FirstOrDefault(v => v.Path == path);
}
