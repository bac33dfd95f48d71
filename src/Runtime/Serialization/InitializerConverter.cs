using System.Text.Json.Nodes;
using Layerwise.Initializers;

namespace Layerwise.Serialization;

/// <summary>
/// Writes an <see cref="Initializer"/> as Keras does (<c>{module: "keras.initializers", class_name,
/// config, registered_name: null}</c>) and reads it back from that shape, Keras 2's
/// <c>{class_name, config}</c> or a bare name (<c>"glorot_uniform"</c>).
/// </summary>
public static class InitializerConverter
{
    public static JsonNode? Write(Initializer? initializer)
    {
        if (initializer is null) return null;
        var (className, config) = initializer switch
        {
            GlorotUniform => ("GlorotUniform", SeedOnly()),
            GlorotNormal => ("GlorotNormal", SeedOnly()),
            HeUniform => ("HeUniform", SeedOnly()),
            HeNormal => ("HeNormal", SeedOnly()),
            Zeros => ("Zeros", new JsonObject()),
            Ones => ("Ones", new JsonObject()),
            RandomUniform u => ("RandomUniform", new JsonObject { ["minval"] = u.Minval, ["maxval"] = u.Maxval, ["seed"] = null }),
            Orthogonal o => ("Orthogonal", new JsonObject { ["gain"] = o.Gain, ["seed"] = null }),
            RandomNormal n => ("RandomNormal", new JsonObject { ["mean"] = n.Mean, ["stddev"] = n.Stddev, ["seed"] = null }),
            _ => throw new LayerwiseException($"Initializer {initializer.GetType().Name} (\"{initializer.Name}\") cannot be written to a config: " +
                                              "only Keras' built-in initializers are supported."),
        };
        return new JsonObject
        {
            ["module"] = "keras.initializers",
            ["class_name"] = className,
            ["config"] = config,
            ["registered_name"] = null,
        };

        static JsonObject SeedOnly() => new() { ["seed"] = null };
    }

    public static Initializer Read(JsonNode? node, string path)
    {
        if (node is JsonValue) return Named(ConfigValues.ReadString(node, path), path);
        if (node is not JsonObject obj)
            throw new ConfigException(path, $"expected an initializer (a name or {{\"class_name\": ..., \"config\": {{...}}}}); received {ConfigValues.Describe(node)}.");
        var className = ConfigValues.ReadString(obj["class_name"], path + ".class_name");
        var config = obj["config"] as JsonObject ?? [];
        var reader = new ConfigReader(config, className);
        return className switch
        {
            "RandomUniform" => new RandomUniform(reader.Optional("minval", ConfigValues.ReadDouble, -0.05), reader.Optional("maxval", ConfigValues.ReadDouble, 0.05)),
            "RandomNormal" => new RandomNormal(reader.Optional("mean", ConfigValues.ReadDouble, 0.0), reader.Optional("stddev", ConfigValues.ReadDouble, 0.05)),
            "Orthogonal" => new Orthogonal(reader.Optional("gain", ConfigValues.ReadDouble, 1.0)),
            _ => Named(className, path),
        };
    }

    static Initializer Named(string name, string path)
    {
        try
        {
            return Initializer.Get(name);
        }
        catch (ArgumentException e)
        {
            throw new ConfigException(path, e.Message);
        }
    }
}
