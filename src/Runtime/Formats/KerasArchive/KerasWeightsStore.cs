using Layerwise.Formats.Hdf5;
using Layerwise.Layers;
using Layerwise.Models;
using Layerwise.Training.Optimizers;
using PureHDF;
using static TorchSharp.torch;

namespace Layerwise.Formats.KerasArchive;

/// <summary>
/// Keras 3's weights file (<c>model.weights.h5</c> inside a .keras archive or a model directory, and
/// <c>*.weights.h5</c> of <c>save_weights</c>), laid out as Keras 3's <c>saving_lib</c> walks objects:
/// each object's own variables are datasets <c>&lt;path&gt;/vars/0</c>, <c>1</c>, ... in creation
/// order; a layer's sub-layer fields are at <c>&lt;path&gt;/&lt;field name&gt;</c>; the layers of a list
/// (a Sequential's <c>layers</c>) are named by their class, snake_case, numbered per class
/// (<c>layers/dense</c>, <c>layers/dropout</c>, <c>layers/dense_1</c>); the optimizer's variables are
/// <c>optimizer/vars/&lt;i&gt;</c>: iteration, learning rate, then its slots.
/// </summary>
internal static class KerasWeightsStore
{
    /// <summary>Every (path, layer) pair in the order Keras 3 visits them; the model itself at the root ("").</summary>
    public static List<(string Path, Layer Layer)> Objects(Model model)
    {
        var result = new List<(string, Layer)>();
        var visited = new HashSet<Layer>(ReferenceEqualityComparer.Instance);
        Walk(model, "", result, visited);
        return result;
    }

    static void Walk(Layer layer, string path, List<(string, Layer)> result, HashSet<Layer> visited)
    {
        if (!visited.Add(layer)) return;
        result.Add((path, layer));
        var covered = new HashSet<Layer>(ReferenceEqualityComparer.Instance);
        foreach (var field in layer.TrackedFields)
        {
            if (field.Kind == TrackedFieldKind.Layer && field.Layer is { } sub)
            {
                covered.Add(sub);
                Walk(sub, Join(path, field.Name), result, visited);
            }
            else if (field.Kind == TrackedFieldKind.LayerList && field.Layers is { } list)
            {
                foreach (var l in list) covered.Add(l);
                WalkContainer(list, Join(path, field.Name), result, visited);
            }
        }
        var rest = layer.SubLayers.Where(l => !covered.Contains(l)).ToList();
        if (rest.Count > 0) WalkContainer(rest, Join(path, "layers"), result, visited);
    }

    static void WalkContainer(IReadOnlyList<Layer> layers, string path, List<(string, Layer)> result, HashSet<Layer> visited)
    {
        var used = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var layer in layers)
        {
            var name = UniqueNames.ToSnakeCase(layer.ClassName);
            if (used.TryGetValue(name, out var count))
            {
                used[name] = count + 1;
                name = $"{name}_{count + 1}";
            }
            else used[name] = 0;
            Walk(layer, Join(path, name), result, visited);
        }
    }

    static string Join(string path, string name) => path.Length == 0 ? name : path + "/" + name;

    static string VarsPath(string path) => path.Length == 0 ? "vars" : path + "/vars";

    /// <summary>Variables created by <paramref name="layer"/> itself (not by its sub-layers), in creation order.</summary>
    static List<Variable> OwnVariables(Layer layer) => [.. layer.Weights.Where(w => ReferenceEquals(w.Owner, layer))];

    public static void Write(Model model, H5Group root, bool includeOptimizer)
    {
        foreach (var (path, layer) in Objects(model))
        {
            var vars = Hdf5Output.GroupAt(root, VarsPath(path));
            // saving_lib's H5Entry stores the object's name as the group's metadata.
            vars.Attributes["name"] = layer.Name;
            var own = OwnVariables(layer);
            for (int i = 0; i < own.Count; i++) vars[i.ToString(System.Globalization.CultureInfo.InvariantCulture)] = Hdf5Output.Dataset(own[i]);
        }
        if (includeOptimizer && model.Optimizer is { } optimizer)
        {
            var vars = Hdf5Output.GroupAt(root, "optimizer/vars");
            vars.Attributes["name"] = optimizer.Name;
            var values = OptimizerValues(model, optimizer);
            vars["0"] = new H5Dataset(optimizer.Iterations);
            vars["1"] = new H5Dataset((float)optimizer.LearningRate);
            int first = 2;
            // Nadam's u_product: Keras 3.0-3.9 (metadata.json says 3.6.0) create it before the slots, 3.10+ after them; both are read.
            if (optimizer is Nadam nadam)
                vars[(first++).ToString(System.Globalization.CultureInfo.InvariantCulture)] = new H5Dataset((float)nadam.MomentumScheduleProduct(optimizer.Iterations));
            for (int i = 0; i < values.Count; i++)
                vars[(i + first).ToString(System.Globalization.CultureInfo.InvariantCulture)] = Hdf5Output.Dataset(optimizer.GetSlot(values[i].Variable, values[i].Slot));
        }
    }

    /// <summary>The optimizer's slot variables in Keras 3's order (<see cref="OptimizerSlotNames.Keras3Groups"/>).</summary>
    static List<(Variable Variable, string Slot)> OptimizerValues(Model model, Optimizer optimizer)
    {
        var trainable = model.TrainableWeights;
        var result = new List<(Variable, string)>();
        foreach (var group in OptimizerSlotNames.Keras3Groups(optimizer))
            foreach (var v in trainable) foreach (var s in group) result.Add((v, s));
        return result;
    }

    /// <summary>Keras 3's <c>save_weights</c>: the model's variables and, as <c>saving_lib</c> walks the model's <c>optimizer</c> attribute too, the optimizer's.</summary>
    public static void SaveWeights(Model model, string path)
    {
        var file = new H5File();
        Write(model, file, includeOptimizer: true);
        AtomicFile.Write(path, temporary => Hdf5Output.WriteNewFile(file, temporary));
    }

    /// <summary>Whether <paramref name="input"/> is an HDF5 file in Keras 3's layout (a <c>layers</c> or <c>vars</c> group, no <c>layer_names</c>).</summary>
    public static bool IsKeras3WeightsFile(Hdf5Input input)
    {
        var root = input.Root;
        return !input.HasAttribute(root, "layer_names") && !input.HasAttribute(root, "layer_names0") && !input.HasLink(root, "model_weights")
               && (input.HasLink(root, "layers") || input.HasLink(root, "vars"));
    }

    /// <summary>
    /// Keras 3's <c>load_weights</c>: the model's variables and, when the model is compiled and the file has
    /// them, the optimizer's (a mismatch leaves the optimizer as it was, with a warning, as Keras skips them).
    /// </summary>
    public static void LoadWeights(Model model, Hdf5Input input, bool verifyFirst)
    {
        var path = input.FilePath;
        using var staged = new StagedWeights(verifyFirst);
        Read(input, model, staged);
        string? optimizerProblem = null;
        if (model.Optimizer is { } optimizer)
            optimizerProblem = ReadOptimizer(input, model, optimizer, staged);
        staged.Apply(optimizerProblem is null ? model.Optimizer : null);
        if (optimizerProblem is not null)
            Output.Writer.WriteLine($"WARNING: the optimizer state in \"{path}\" was not loaded: {optimizerProblem}. The optimizer keeps its current state.");
    }

    /// <summary>Reads and checks every variable of <paramref name="model"/> (built) into <paramref name="staged"/>.</summary>
    public static void Read(Hdf5Input input, Model model, StagedWeights staged)
    {
        foreach (var (path, layer) in Objects(model))
        {
            var own = OwnVariables(layer);
            var varsPath = VarsPath(path);
            var group = Locate(input, varsPath);
            if (group is null)
            {
                if (own.Count == 0) continue;
                throw input.Error("/" + varsPath, $"expected the {own.Count} variable(s) of layer \"{layer.Name}\" ({layer.ClassName}) here; the file has no such group.");
            }
            int count = input.Guard("/" + varsPath, "a group of variables", () => group.Children().Count());
            if (count != own.Count)
                throw input.Error("/" + varsPath, $"layer \"{layer.Name}\" ({layer.ClassName}) expects {own.Count} variable(s) " +
                                                  $"({string.Join(", ", own.Select(w => w.Name))}), but the file holds {count}.");
            for (int i = 0; i < own.Count; i++)
            {
                var name = i.ToString(System.Globalization.CultureInfo.InvariantCulture);
                var (dataset, shape) = input.FloatDataset(group, name);
                if (!shape.SequenceEqual(own[i].Shape))
                    throw input.Error($"/{varsPath}/{name}", $"weight \"{own[i].Path}\" has shape {ShapeText.Format(own[i].Shape)} in the model, but this dataset has shape {ShapeText.Format(shape)}.");
                input.ReadWeight(staged, own[i], dataset, $"/{varsPath}/{name}");
            }
        }
    }

    /// <summary>Stages the optimizer's variables; null when done, else why they were left out.</summary>
    public static string? ReadOptimizer(Hdf5Input input, Model model, Optimizer optimizer, StagedWeights staged)
    {
        var group = Locate(input, "optimizer/vars");
        if (group is null) return null;
        int count = input.Guard("/optimizer/vars", "a group of variables", () => group.Children().Count());
        var values = OptimizerValues(model, optimizer);
        if (count == 0) return null;
        int scalars = optimizer is Nadam ? 1 : 0;   // u_product, recomputed from the step
        if (count != values.Count + 2 + scalars)
            return $"the file holds {count} optimizer variables, but {optimizer.ClassName} with {model.TrainableWeights.Count} trainable weights has {values.Count + 2 + scalars}";
        staged.Iterations = input.ReadInteger(group, "0");
        // Keras 3.0-3.9 wrote Nadam's u_product (a scalar) before the slots, 3.10+ after them.
        int first = scalars == 1 && values.Count > 0 && values[0].Variable.Shape.Length > 0
                    && input.FloatDataset(group, "2").Shape.Length == 0 ? 3 : 2;
        for (int i = 0; i < values.Count; i++)
        {
            var name = (i + first).ToString(System.Globalization.CultureInfo.InvariantCulture);
            var (dataset, shape) = input.FloatDataset(group, name);
            if (!shape.SequenceEqual(values[i].Variable.Shape))
                return $"optimizer variable {name} has shape {ShapeText.Format(shape)} but weight \"{values[i].Variable.Path}\" has shape {ShapeText.Format(values[i].Variable.Shape)}";
            input.ReadSlot(staged, optimizer, values[i].Variable, values[i].Slot, dataset, "/optimizer/vars/" + name);
        }
        return null;
    }

    static IH5Group? Locate(Hdf5Input input, string path)
    {
        IH5Group group = input.Root;
        foreach (var part in path.Split('/'))
        {
            if (!input.HasLink(group, part)) return null;
            group = input.Group(group, part);
        }
        return group;
    }
}
