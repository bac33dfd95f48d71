using System.Text;
using Layerwise;
using Layerwise.Layers;
using Layerwise.Serialization;
using TorchSharp;

namespace CustomLayers;

/// <summary>
/// A stand-in for the whole-model formats still to come: <c>config.json</c> (Keras'
/// <c>{module, class_name, config, registered_name}</c>) and <c>weights.bin</c> (each variable by
/// its tracked path, e.g. <c>antirectifier/kernel</c>, with shape and float32 data). Loading resolves
/// the class through the registry only, and checks every name and shape before assigning.
/// </summary>
static class SavedModel
{
    public static void Save(Layer model, string directory)
    {
        Directory.CreateDirectory(directory);
        File.WriteAllText(Path.Combine(directory, "config.json"), ConfigJson.ToText(LayerRegistry.Serialize(model), indented: true));
        using var writer = new BinaryWriter(File.Create(Path.Combine(directory, "weights.bin")), Encoding.UTF8);
        var variables = Variables(model).ToList();
        writer.Write(variables.Count);
        foreach (var (path, variable) in variables)
        {
            writer.Write(path);
            writer.Write(variable.Shape.Length);
            foreach (var d in variable.Shape) writer.Write(d);
            using var cpu = variable.ToCpu();
            foreach (var x in cpu.data<float>()) writer.Write(x);
        }
    }

    public static Layer Load(string directory, long[] inputShape)
    {
        var model = LayerRegistry.Deserialize(ConfigJson.Parse(File.ReadAllText(Path.Combine(directory, "config.json")), "config.json"));
        model.EnsureBuilt(inputShape);
        var variables = Variables(model).ToDictionary(v => v.Path, v => v.Variable);
        using var reader = new BinaryReader(File.OpenRead(Path.Combine(directory, "weights.bin")), Encoding.UTF8);
        int count = reader.ReadInt32();
        if (count != variables.Count)
            throw new LayerwiseException($"weights.bin holds {count} variables; the model from config.json has {variables.Count}.");
        for (int i = 0; i < count; i++)
        {
            var path = reader.ReadString();
            if (!variables.TryGetValue(path, out var variable))
                throw new LayerwiseException($"weights.bin has variable \"{path}\", which the model does not: it has {string.Join(", ", variables.Keys)}.");
            var shape = new long[reader.ReadInt32()];
            for (int d = 0; d < shape.Length; d++) shape[d] = reader.ReadInt64();
            var values = new float[shape.Aggregate(1L, (a, b) => a * b)];
            for (int k = 0; k < values.Length; k++) values[k] = reader.ReadSingle();
            using var tensor = torch.tensor(values, shape);
            variable.Assign(tensor);
        }
        return model;
    }

    /// <summary>Every variable under its path of tracked field names (generated tracking, no reflection).</summary>
    static IEnumerable<(string Path, Variable Variable)> Variables(Layer layer, string prefix = "")
    {
        foreach (var field in layer.TrackedFields)
        {
            switch (field.Kind)
            {
                case TrackedFieldKind.Variable when field.Variable is { } v:
                    yield return (prefix + field.Name, v);
                    break;
                case TrackedFieldKind.Layer when field.Layer is { } sub:
                    foreach (var inner in Variables(sub, prefix + field.Name + "/")) yield return inner;
                    break;
                case TrackedFieldKind.LayerList when field.Layers is { } list:
                    for (int i = 0; i < list.Count; i++)
                        foreach (var inner in Variables(list[i], $"{prefix}{field.Name}/{i}/")) yield return inner;
                    break;
            }
        }
    }
}
