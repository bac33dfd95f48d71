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
    /// <summary>
    /// An initializer as Keras 3 writes it: <c>{module, class_name, config, registered_name}</c>; null as <c>null</c>.
    /// </summary>
    public static JsonNode? Write(Initializer? initializer)
    {
        if (initializer is null) return null;
        var (className, config) = initializer switch
        {
            GlorotUniform => ("GlorotUniform", SeedOnly()),
            GlorotNormal => ("GlorotNormal", SeedOnly()),
            HeUniform => ("HeUniform", SeedOnly()),
            HeNormal => ("HeNormal", SeedOnly()),
            LecunUniform => ("LecunUniform", SeedOnly()),
            LecunNormal => ("LecunNormal", SeedOnly()),
            VarianceScaling v => ("VarianceScaling", new JsonObject { ["scale"] = v.Scale, ["mode"] = v.Mode, ["distribution"] = v.Distribution, ["seed"] = null }),
            Zeros => ("Zeros", new JsonObject()),
            Ones => ("Ones", new JsonObject()),
            RandomUniform u => ("RandomUniform", new JsonObject { ["minval"] = u.Minval, ["maxval"] = u.Maxval, ["seed"] = null }),
            Orthogonal o => ("Orthogonal", new JsonObject { ["gain"] = o.Gain, ["seed"] = null }),
            RandomNormal n => ("RandomNormal", new JsonObject { ["mean"] = n.Mean, ["stddev"] = n.Stddev, ["seed"] = null }),
            TruncatedNormal n => ("TruncatedNormal", new JsonObject { ["mean"] = n.Mean, ["stddev"] = n.Stddev, ["seed"] = null }),
            Constant c => ("Constant", new JsonObject { ["value"] = c.Value }),
            Identity i => ("Identity", new JsonObject { ["gain"] = i.Gain }),
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

    /// <summary>
    /// An initializer from a config value: Keras 3's object, Keras 2's <c>{class_name, config}</c> or a bare name
    /// (<c>"glorot_uniform"</c>).
    /// </summary>
    /// <param name="node">The JSON value.</param>
    /// <param name="path">Where it is, for the error message.</param>
    /// <exception cref="ConfigException">An unknown initializer or a malformed value.</exception>
    public static Initializer Read(JsonNode? node, string path)
    {
        if (node is JsonValue) return Named(ConfigValues.ReadString(node, path), path);
        if (node is not JsonObject obj)
            throw new ConfigException(path, $"expected an initializer (a name or {{\"class_name\": ..., \"config\": {{...}}}}); received {ConfigValues.Describe(node)}.");
        var className = ConfigValues.ReadString(obj["class_name"], path + ".class_name");
        var config = obj["config"] as JsonObject ?? [];
        var reader = new ConfigReader(config, className);
        try
        {
            // Class names in every Keras spelling (RandomNormalV2, OrthogonalInitializer) read the same config keys.
            return Initializer.Canonical(className) switch
            {
                "randomuniform" or "uniform" => new RandomUniform(reader.Optional("minval", ConfigValues.ReadDouble, -0.05), reader.Optional("maxval", ConfigValues.ReadDouble, 0.05)),
                "randomnormal" or "normal" => new RandomNormal(reader.Optional("mean", ConfigValues.ReadDouble, 0.0), reader.Optional("stddev", ConfigValues.ReadDouble, 0.05)),
                "truncatednormal" => new TruncatedNormal(reader.Optional("mean", ConfigValues.ReadDouble, 0.0), reader.Optional("stddev", ConfigValues.ReadDouble, 0.05)),
                "orthogonal" => new Orthogonal(reader.Optional("gain", ConfigValues.ReadDouble, 1.0)),
                "identity" => new Identity(reader.Optional("gain", ConfigValues.ReadDouble, 1.0)),
                "constant" => new Constant(reader.Optional("value", ConfigValues.ReadDouble, 0.0)),
                "variancescaling" => new VarianceScaling(reader.Optional("scale", ConfigValues.ReadDouble, 1.0),
                                                         reader.Optional("mode", ConfigValues.ReadString, "fan_in"),
                                                         reader.Optional("distribution", ConfigValues.ReadString, "truncated_normal")),
                _ => Named(className, path),
            };
        }
        catch (ArgumentException e)
        {
            throw new ConfigException(path, e.Message);
        }
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
