using Layerwise.Layers;
using Layerwise.Models;
using PureHDF;
using static TorchSharp.torch;

namespace Layerwise.Formats.Hdf5;

/// <summary>
/// Layer weights in Keras 2's HDF5 layout (<c>save_weights_to_hdf5_group</c>), used for the
/// <c>model_weights</c> group of a whole-model .h5 and for the root of a weights-only .h5: attribute
/// <c>layer_names</c> lists the layers; each has a group with attribute <c>weight_names</c>
/// (<c>dense/kernel:0</c>, ...) and one dataset per weight at that relative path.
/// Reading follows Keras' <c>load_weights_from_hdf5_group</c>: the layers that have weights are
/// matched in order, their weights in order, every shape checked; Keras 1 files (<c>dense_1_W:0</c>,
/// Theano-ordered convolution kernels [out, in, h, w], Conv1D kernels with a unit axis, per-gate LSTM
/// and GRU arrays) are converted as Keras' legacy loader does.
/// </summary>
internal static class KerasH5Weights
{
    public const string KerasVersion = "2.15.0";

    /// <summary>Adds the weights of <paramref name="model"/>'s layers to <paramref name="group"/>.</summary>
    public static void Write(Model model, H5Group group)
    {
        Hdf5Output.AddStringList(group.Attributes, "layer_names", [.. model.Layers.Select(l => l.Name)]);
        group.Attributes["backend"] = "tensorflow";
        group.Attributes["keras_version"] = KerasVersion;
        foreach (var (groupName, weights) in Groups(model))
        {
            var layerGroup = new H5Group();
            foreach (var (name, w) in weights)
                Hdf5Output.Put(layerGroup, name + ":0", Hdf5Output.Dataset(w));
            Hdf5Output.AddStringList(layerGroup.Attributes, "weight_names", [.. weights.Select(e => e.Name + ":0")]);
            group[groupName] = layerGroup;
        }
    }

    /// <summary>
    /// The groups <see cref="Write"/> puts under <c>model_weights</c>, in the model's layer order: one per layer (named
    /// as the layer), then <c>top_level_model_weights</c> (a subclassed model's own weights), each with its weights
    /// and tf.keras' names for them without the <c>:0</c> suffix (<c>dense/kernel</c>). The TF.js export reads them too.
    /// </summary>
    internal static IReadOnlyList<(string Group, IReadOnlyList<(string Name, Variable Weight)> Weights)> Groups(Model model)
    {
        var groups = new List<(string, IReadOnlyList<(string, Variable)>)>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var layer in model.Layers)
        {
            if (!names.Add(layer.Name))
                throw new LayerwiseException($"Cannot save model \"{model.Name}\": two layers are named \"{layer.Name}\".");
            groups.Add((layer.Name, [.. LegacyWeights(layer).Select(w => (WeightName(layer, w), w))]));
        }
        if (names.Add("top_level_model_weights"))
        {
            var own = model.Weights.Where(w => ReferenceEquals(w.Owner, model));
            groups.Add(("top_level_model_weights", [.. own.Select(w => (WeightName((Layer)model, w), w))]));
        }
        return groups;
    }

    /// <summary>
    /// A layer's weights in the order Keras 2 saves and loads them (<c>_legacy_weights</c>): trainable ones,
    /// then the others. For a plain layer that is creation order; for a nested model holding
    /// BatchNormalization, the moving statistics of every layer come after all trainable weights.
    /// </summary>
    static IReadOnlyList<Variable> LegacyWeights(Layer layer) => [.. layer.TrainableWeights, .. layer.NonTrainableWeights];

    /// <summary>
    /// The name tf.keras gives a weight (without <c>:0</c>): the layer's name, the name scopes of the
    /// sub-layers down to the one that created it, then the weight's (<c>lstm/lstm_cell/kernel</c>,
    /// <c>bidirectional/forward_lstm/forward_lstm_cell/kernel</c>). A model nested as a layer adds no
    /// prefix of its own (its layers were built outside its name scope), so its group lists <c>dense/kernel:0</c>.
    /// </summary>
    /// <summary>tf.keras' name of <paramref name="w"/>, one of <paramref name="model"/>'s weights, found through the model's layer that holds it.</summary>
    public static string WeightName(Model model, Variable w)
    {
        foreach (var layer in model.Layers)
            if (layer.Weights.Contains(w)) return WeightName(layer, w);
        return WeightName((Layer)model, w);
    }

    static string WeightName(Layer layer, Variable w)
    {
        if (layer is Model model && !ReferenceEquals(w.Owner, model))
            foreach (var inner in model.Layers)
                if (inner.Weights.Contains(w)) return WeightName(inner, w);
        return $"{layer.Name}/{ScopesDownTo(layer, w)}{w.Name}";
    }

    /// <summary>
    /// The sub-layer names between <paramref name="layer"/> and the creator of <paramref name="w"/>, each
    /// followed by '/'. TimeDistributed builds its inner layer in its own scope (<c>time_distributed/kernel</c>).
    /// </summary>
    static string ScopesDownTo(Layer layer, Variable w)
    {
        if (ReferenceEquals(w.Owner, layer)) return "";
        var sub = layer.SubLayers.First(s => s.Weights.Contains(w));
        return (layer is TimeDistributed ? "" : sub.Name + "/") + ScopesDownTo(sub, w);
    }

    /// <summary>
    /// Reads and checks the weights in <paramref name="group"/> for <paramref name="model"/> (built)
    /// into <paramref name="staged"/>; nothing of the model changes here.
    /// </summary>
    public static void Read(Hdf5Input input, PureHDF.IH5Group group, Model model, StagedWeights staged)
    {
        var layerNames = input.ReadStringList(group, "layer_names");
        bool theano = input.ReadOptionalString(group, "backend") == "theano" || input.ReadOptionalString(input.Root, "backend") == "theano";
        var modelLayers = model.Layers.Where(l => l.Weights.Count > 0).ToList();
        var fileLayers = new List<(string Name, PureHDF.IH5Group Group, string[] WeightNames)>();
        // Linear in the list, whatever it holds: a name listed twice is refused (a file listing one layer
        // 200,000 times took 49 s), and reading stops once the file has more layers with weights than the model.
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var name in layerNames)
        {
            if (!seen.Add(name))
                throw input.Error(Hdf5Input.PathOf(group) + "@layer_names", $"layer \"{name}\" is listed twice; Keras lists each layer once.");
            var layerGroup = input.Group(group, name);
            var weightNames = input.ReadStringList(layerGroup, "weight_names");
            if (weightNames.Length > 0) fileLayers.Add((name, layerGroup, weightNames));
            if (fileLayers.Count > modelLayers.Count) break;
        }
        if (fileLayers.Count != modelLayers.Count)
            throw input.Error(Hdf5Input.PathOf(group) + "@layer_names",
                $"the file has {fileLayers.Count} layer(s) with weights ({string.Join(", ", fileLayers.Select(l => l.Name))}) but model \"{model.Name}\" " +
                $"has {modelLayers.Count} ({string.Join(", ", modelLayers.Select(l => l.Name))}); the architectures differ.");
        for (int i = 0; i < modelLayers.Count; i++)
        {
            var layer = modelLayers[i];
            var (fileName, layerGroup, weightNames) = fileLayers[i];
            var expected = LegacyWeights(layer);
            if (weightNames.Length != expected.Count && Keras1RecurrentWeights.Applies(layer, weightNames))
            {
                var fused = Keras1RecurrentWeights.Read(input, layerGroup, weightNames, layer);
                for (int k = 0; k < expected.Count; k++) staged.Add(expected[k], fused[k]);
                continue;
            }
            if (weightNames.Length != expected.Count)
                throw input.Error(Hdf5Input.PathOf(layerGroup) + "@weight_names",
                    $"layer \"{fileName}\" has {weightNames.Length} weight(s) in the file ({string.Join(", ", weightNames)}) but layer \"{layer.Name}\" " +
                    $"({layer.ClassName}) expects {expected.Count} ({string.Join(", ", expected.Select(w => w.Name))}).");
            for (int k = 0; k < expected.Count; k++)
                ReadWeight(input, layerGroup, weightNames[k], expected[k], theano, staged);
        }
        // A subclassed model's own weights (not its layers'): Keras 2.x writes them under top_level_model_weights.
        var own = model.Weights.Where(w => ReferenceEquals(w.Owner, model)).ToList();
        if (own.Count == 0) return;
        if (!input.HasLink(group, "top_level_model_weights"))
            throw input.Error(Hdf5Input.Join(group, "top_level_model_weights"),
                $"model \"{model.Name}\" has {own.Count} weight(s) of its own ({string.Join(", ", own.Select(w => w.Name))}); the file has no group for them.");
        var topGroup = input.Group(group, "top_level_model_weights");
        var topNames = input.ReadStringList(topGroup, "weight_names");
        if (topNames.Length != own.Count)
            throw input.Error(Hdf5Input.PathOf(topGroup) + "@weight_names",
                $"model \"{model.Name}\" has {own.Count} weight(s) of its own but the file lists {topNames.Length}.");
        for (int k = 0; k < own.Count; k++)
            ReadWeight(input, topGroup, topNames[k], own[k], theano, staged);
    }

    static void ReadWeight(Hdf5Input input, PureHDF.IH5Group layerGroup, string weightName, Variable target, bool theano, StagedWeights staged)
    {
        var path = Hdf5Input.Join(layerGroup, weightName);
        var (dataset, shape) = input.FloatDataset(layerGroup, weightName);
        var want = target.Shape;
        if (shape.SequenceEqual(want))
        {
            input.ReadWeight(staged, target, dataset, path);
            return;
        }
        staged.Add(target, ReadKeras1Kernel(input, dataset, shape, path, target, theano));
    }

    /// <summary>A Keras 1 convolution kernel in another axis order, converted to the model's shape.</summary>
    static Tensor ReadKeras1Kernel(Hdf5Input input, PureHDF.IH5Dataset dataset, long[] shape, string path, Variable target, bool theano)
    {
        var want = target.Shape;
        // Keras 1 convolution kernels: [filters, in, rows, cols] (Theano order) -> [rows, cols, in, filters].
        if (shape.Length == 4 && want.Length == 4 && shape[0] == want[3] && shape[1] == want[2] && shape[2] == want[0] && shape[3] == want[1])
        {
            using var raw = input.ReadFloats(dataset, shape, path);
            using var permuted = raw.permute(2, 3, 1, 0);
            // Theano convolves (flips the kernel), TensorFlow correlates: Keras' convert_kernel.
            return theano ? permuted.flip(0, 1).contiguous() : permuted.contiguous();
        }
        // Keras 1 Convolution1D kernels are 2-D ones of width 1: [length, 1, in, filters], or in Theano
        // order [filters, in, length, 1]; Keras 2's loader drops the unit axis (and flips for Theano).
        if (shape.Length == 4 && want.Length == 3)
        {
            bool tensorFlowOrder = shape[0] == want[0] && shape[1] == 1 && shape[2] == want[1] && shape[3] == want[2];
            bool theanoOrder = shape[0] == want[2] && shape[1] == want[1] && shape[2] == want[0] && shape[3] == 1;
            if (tensorFlowOrder || theanoOrder)
            {
                using var raw = input.ReadFloats(dataset, shape, path);
                using var ordered = theanoOrder ? raw.permute(2, 3, 1, 0) : raw.alias();
                using var squeezed = ordered.squeeze(1);
                return theano ? squeezed.flip(0).contiguous() : squeezed.contiguous();
            }
        }
        throw input.Error(path, $"weight \"{target.Path}\" has shape {ShapeText.Format(want)} in the model, but this dataset has shape {ShapeText.Format(shape)}.");
    }
}
