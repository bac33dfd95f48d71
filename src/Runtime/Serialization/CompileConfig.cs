using System.Text.Json.Nodes;
using Layerwise.Training.Losses;
using Layerwise.Training.Metrics;
using Layerwise.Training.Optimizers;

namespace Layerwise.Serialization;

/// <summary>
/// What <see cref="Models.Model.Compile"/> received (optimizer, loss, metrics), as Keras stores it in
/// files: Keras 2's <c>training_config</c> (.h5) and Keras 3's <c>compile_config</c> (config.json),
/// and read back from those and from what Keras 1.x, 2.x, tf.keras and Keras 3 wrote
/// (<c>lr</c> or <c>learning_rate</c>, <c>Custom&gt;Adam</c>, losses and metrics as names or objects,
/// metrics nested per output). Only the runtime's own optimizers, losses and metrics are created:
/// nothing in a file names a .NET type.
/// </summary>
public sealed record CompileConfig(Optimizer Optimizer, Loss Loss, IReadOnlyList<Metric> Metrics)
{
    /// <summary>Keras 2's <c>training_config</c> (the .h5 root attribute).</summary>
    public static JsonObject WriteTrainingConfig(Optimizer optimizer, Loss loss, IEnumerable<Metric> metrics) => new()
    {
        ["loss"] = WriteLoss(loss),
        ["metrics"] = new JsonArray([.. metrics.Select(m => (JsonNode?)WriteMetric(m))]),
        ["weighted_metrics"] = null,
        ["loss_weights"] = null,
        ["optimizer_config"] = WriteOptimizer(optimizer, withModule: false),
    };

    /// <summary>Keras 3's <c>compile_config</c> (inside config.json).</summary>
    public static JsonObject WriteCompileConfig(Optimizer optimizer, Loss loss, IEnumerable<Metric> metrics) => new()
    {
        ["optimizer"] = WriteOptimizer(optimizer, withModule: true),
        ["loss"] = WriteLoss(loss),
        ["loss_weights"] = null,
        ["metrics"] = new JsonArray([.. metrics.Select(m => (JsonNode?)WriteMetric(m))]),
        ["weighted_metrics"] = null,
        ["run_eagerly"] = false,
        ["steps_per_execution"] = 1,
        ["jit_compile"] = false,
    };

    /// <summary>The optimizer as <c>{module, class_name, config, registered_name}</c>.</summary>
    public static JsonObject WriteOptimizer(Optimizer optimizer, bool withModule)
    {
        var config = new JsonObject { ["name"] = optimizer.Name, ["learning_rate"] = optimizer.LearningRate };
        switch (optimizer)
        {
            case Adam adam:
                config["beta_1"] = adam.Beta1;
                config["beta_2"] = adam.Beta2;
                config["epsilon"] = adam.Epsilon;
                config["amsgrad"] = false;
                break;
            case SGD sgd:
                config["momentum"] = sgd.Momentum;
                config["nesterov"] = sgd.Nesterov;
                break;
            case RMSprop rms:
                config["rho"] = rms.Rho;
                config["momentum"] = rms.Momentum;
                config["epsilon"] = rms.Epsilon;
                config["centered"] = rms.Centered;
                break;
            default:
                throw new LayerwiseException($"Optimizer {optimizer.ClassName} cannot be written to a file: only Adam, SGD and RMSprop are supported.");
        }
        return Wrap("keras.optimizers", optimizer.ClassName, config, withModule);
    }

    static JsonObject WriteLoss(Loss loss)
    {
        var config = new JsonObject { ["name"] = loss.Name, ["reduction"] = "sum_over_batch_size" };
        switch (loss)
        {
            case SparseCategoricalCrossentropy s: config["from_logits"] = s.FromLogits; break;
            case CategoricalCrossentropy c: config["from_logits"] = c.FromLogits; break;
            case BinaryCrossentropy b: config["from_logits"] = b.FromLogits; break;
            case MeanSquaredError: break;
            default: throw new LayerwiseException($"Loss {loss.ClassName} cannot be written to a file: it is not one of Keras' built-in losses.");
        }
        return Wrap("keras.losses", loss.ClassName, config, withModule: true);
    }

    static JsonObject WriteMetric(Metric metric)
    {
        var config = new JsonObject { ["name"] = metric.Name, ["dtype"] = "float32" };
        if (metric is BinaryAccuracy binary) config["threshold"] = binary.Threshold;
        if (metric is not (SparseCategoricalAccuracy or CategoricalAccuracy or BinaryAccuracy or Accuracy or MeanAbsoluteError))
            throw new LayerwiseException($"Metric {metric.ClassName} cannot be written to a file: it is not one of Keras' built-in metrics.");
        return Wrap("keras.metrics", metric.ClassName, config, withModule: true);
    }

    static JsonObject Wrap(string module, string className, JsonObject config, bool withModule)
    {
        var result = new JsonObject();
        if (withModule) result["module"] = module;
        result["class_name"] = className;
        result["config"] = config;
        if (withModule) result["registered_name"] = null;
        return result;
    }

    // ---- reading ------------------------------------------------------------------------------

    /// <summary>
    /// Reads a Keras 2 <c>training_config</c> or a Keras 3 <c>compile_config</c>. Throws
    /// <see cref="ConfigException"/> when it asks for something the runtime does not have.
    /// </summary>
    public static CompileConfig Read(JsonObject config, string path)
    {
        var optimizerNode = config["optimizer_config"] ?? config["optimizer"]
            ?? throw new ConfigException(path, "expected an optimizer (\"optimizer_config\" or \"optimizer\").");
        var optimizer = ReadOptimizer(optimizerNode, path + ".optimizer");
        var loss = ReadLoss(config["loss"], path + ".loss");
        var metrics = new List<Metric>();
        CollectMetrics(config["metrics"], path + ".metrics", metrics);
        return new CompileConfig(optimizer, loss, metrics);
    }

    static Optimizer ReadOptimizer(JsonNode node, string path)
    {
        string className;
        JsonObject config;
        if (node is JsonValue) { className = ConfigValues.ReadString(node, path); config = []; }
        else if (node is JsonObject obj)
        {
            className = ConfigValues.ReadString(obj["class_name"], path + ".class_name");
            config = obj["config"] as JsonObject ?? [];
        }
        else throw new ConfigException(path, $"expected an optimizer; received {ConfigValues.Describe(node)}.");
        var name = className.Contains('>') ? className[(className.LastIndexOf('>') + 1)..] : className;
        var reader = new ConfigReader(config, name);
        double Number(string key, double fallback) => reader.Optional(key, ConfigValues.ReadDouble, fallback);
        double learningRate(double fallback) => config.ContainsKey("learning_rate") ? Number("learning_rate", fallback) : Number("lr", fallback);
        switch (name.ToLowerInvariant())
        {
            case "adam":
                if (reader.Optional("amsgrad", ConfigValues.ReadBoolean, false))
                    throw new ConfigException(path + ".config.amsgrad", "AMSGrad is not supported by Layerwise's Adam; load with compile: false and compile again.");
                return new Adam(learningRate(0.001), Number("beta_1", 0.9), Number("beta_2", 0.999), Number("epsilon", 1e-7));
            case "sgd":
                return new SGD(learningRate(0.01), Number("momentum", 0.0), reader.Optional("nesterov", ConfigValues.ReadBoolean, false));
            case "rmsprop":
                return new RMSprop(learningRate(0.001), Number("rho", 0.9), Number("momentum", 0.0), Number("epsilon", 1e-7),
                                   reader.Optional("centered", ConfigValues.ReadBoolean, false));
            default:
                throw new ConfigException(path, $"optimizer \"{className}\" is not supported (Adam, SGD and RMSprop are); load with compile: false and compile again.");
        }
    }

    static Loss ReadLoss(JsonNode? node, string path)
    {
        if (node is JsonObject perOutput && !perOutput.ContainsKey("class_name") && perOutput.Count == 1)
            node = perOutput.First().Value; // {"output_name": loss} of a single-output model
        if (node is JsonArray { Count: 1 } single) node = single[0];
        string className;
        bool fromLogits = false;
        string? name = null;
        if (node is JsonValue) className = ConfigValues.ReadString(node, path);
        else if (node is JsonObject obj)
        {
            className = ConfigValues.ReadString(obj["class_name"], path + ".class_name");
            var config = obj["config"] as JsonObject ?? [];
            fromLogits = config["from_logits"] is { } f && ConfigValues.ReadBoolean(f, path + ".config.from_logits");
            name = config["name"] is { } n ? ConfigValues.ReadNullableString(n, path + ".config.name") : null;
        }
        else throw new ConfigException(path, $"expected a loss (a name or {{\"class_name\": ..., \"config\": {{...}}}}); received {ConfigValues.Describe(node)}.");
        return className.Replace("_", "").ToLowerInvariant() switch
        {
            "sparsecategoricalcrossentropy" => new SparseCategoricalCrossentropy(fromLogits, name),
            "categoricalcrossentropy" => new CategoricalCrossentropy(fromLogits, name),
            "binarycrossentropy" => new BinaryCrossentropy(fromLogits, name),
            "meansquarederror" or "mse" => new MeanSquaredError(name),
            _ => throw new ConfigException(path, $"loss \"{className}\" is not supported (sparse_categorical_crossentropy, categorical_crossentropy, " +
                                                 "binary_crossentropy, mean_squared_error are); load with compile: false and compile again."),
        };
    }

    static void CollectMetrics(JsonNode? node, string path, List<Metric> metrics)
    {
        switch (node)
        {
            case null:
                return;
            case JsonArray array:
                for (int i = 0; i < array.Count; i++) CollectMetrics(array[i], $"{path}[{i}]", metrics);
                return;
            case JsonObject obj when !obj.ContainsKey("class_name"):
                foreach (var (key, value) in obj) CollectMetrics(value, $"{path}.{key}", metrics);
                return;
            case JsonObject obj:
            {
                var className = ConfigValues.ReadString(obj["class_name"], path + ".class_name");
                var config = obj["config"] as JsonObject ?? [];
                var name = config["name"] is { } n ? ConfigValues.ReadNullableString(n, path + ".config.name") : null;
                if (className == "MeanMetricWrapper")
                {
                    var fn = config["fn"] is { } f ? ConfigValues.ReadNullableString(f, path + ".config.fn") : null;
                    metrics.Add(Named(fn ?? name ?? "", name, path));
                }
                else
                {
                    var threshold = config["threshold"] is { } t ? ConfigValues.ReadDouble(t, path + ".config.threshold") : 0.5;
                    metrics.Add(className switch
                    {
                        "BinaryAccuracy" => new BinaryAccuracy(name, threshold),
                        "Accuracy" => new Accuracy(name),
                        _ => Named(className, name, path),
                    });
                }
                return;
            }
            default:
                var text = ConfigValues.ReadString(node, path);
                metrics.Add(Named(text, text, path));
                return;
        }
    }

    static Metric Named(string function, string? name, string path)
    {
        Metric metric;
        try
        {
            metric = Metric.Get(function);
        }
        catch (ArgumentException e)
        {
            throw new ConfigException(path, e.Message + " Load with compile: false and compile again.");
        }
        if (name is not null && metric.Name != name) metric.Name = name;
        return metric;
    }
}
