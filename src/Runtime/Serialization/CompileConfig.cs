using System.Text.Json.Nodes;
using Layerwise.Training.Losses;
using Layerwise.Training.Metrics;
using Layerwise.Training.Optimizers;

namespace Layerwise.Serialization;

/// <summary>
/// What <see cref="O:Layerwise.Models.Model.Compile"/> received (optimizer, loss, metrics), as Keras stores it in
/// files: Keras 2's <c>training_config</c> (.h5) and Keras 3's <c>compile_config</c> (config.json),
/// and read back from those and from what Keras 1.x, 2.x, tf.keras and Keras 3 wrote
/// (<c>lr</c> or <c>learning_rate</c>, <c>Custom&gt;Adam</c>, losses and metrics as names or objects,
/// metrics nested per output). Only the runtime's own optimizers, losses and metrics are created:
/// nothing in a file names a .NET type.
/// </summary>
public sealed record CompileConfig(Optimizer Optimizer, Loss Loss, IReadOnlyList<Metric> Metrics)
{
    /// <summary>One loss per output when the file lists them (<c>"loss": [...]</c>); <see cref="Loss"/> is then the first.</summary>
    public IReadOnlyList<Loss?>? LossList { get; init; }

    /// <summary>Losses keyed by output name (<c>"loss": {"dense_1": ...}</c>); <see cref="Loss"/> is then the first.</summary>
    public IReadOnlyDictionary<string, Loss>? LossByOutput { get; init; }

    /// <summary><c>loss_weights</c> as a list (one per output).</summary>
    public IReadOnlyList<double>? LossWeightList { get; init; }

    /// <summary><c>loss_weights</c> keyed by output name.</summary>
    public IReadOnlyDictionary<string, double>? LossWeightsByOutput { get; init; }

    /// <summary>Metrics keyed by output name (<c>"metrics": {"dense_1": [...]}</c>); <see cref="Metrics"/> then holds them all.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<Metric>>? MetricsByOutput { get; init; }

    /// <summary>
    /// Compiles <paramref name="model"/> with what was read. A model with one output takes the single loss and
    /// every metric, as before multi-output support (files from Keras 2.0-2.3 key even a single output's loss
    /// and metrics by its name); a model with several outputs gets the per-output forms back.
    /// </summary>
    /// <exception cref="ConfigException">What was read cannot compile this model (a metric named twice, a loss for an output it lacks).</exception>
    internal void CompileInto(Models.Model model)
    {
        try
        {
            CompileIntoUnchecked(model);
        }
        catch (ArgumentException e)
        {
            throw new ConfigException("compile_config", $"the model cannot be compiled with it: {e.Message}");
        }
    }

    void CompileIntoUnchecked(Models.Model model)
    {
        if (model.OutputNames.Count == 1 || (LossList is null && LossByOutput is null && LossWeightList is null && LossWeightsByOutput is null && MetricsByOutput is null))
        {
            model.Compile(Optimizer, Loss, Metrics);
            return;
        }
        object loss = (object?)LossList ?? (object?)LossByOutput ?? Loss;
        object? weights = (object?)LossWeightList ?? LossWeightsByOutput;
        object? metrics = MetricsByOutput is not null ? MetricsByOutput : Metrics.Count > 0 ? Metrics : null;
        model.CompileCore(Optimizer, new Models.CompileArguments(loss, weights, metrics));
    }

    /// <summary>Keras 2's <c>training_config</c> of a compiled model, with per-output losses, weights and metrics as compiled.</summary>
    internal static JsonObject WriteTrainingConfig(Models.Model model)
    {
        var (loss, weights, metrics) = WriteArguments(model);
        return new()
        {
            ["loss"] = loss,
            ["metrics"] = metrics,
            ["weighted_metrics"] = null,
            ["loss_weights"] = weights,
            ["optimizer_config"] = WriteOptimizer(model.Optimizer!, withModule: false),
        };
    }

    /// <summary>Keras 3's <c>compile_config</c> of a compiled model.</summary>
    internal static JsonObject WriteCompileConfig(Models.Model model)
    {
        var (loss, weights, metrics) = WriteArguments(model);
        return new()
        {
            ["optimizer"] = WriteOptimizer(model.Optimizer!, withModule: true),
            ["loss"] = loss,
            ["loss_weights"] = weights,
            ["metrics"] = metrics,
            ["weighted_metrics"] = null,
            ["run_eagerly"] = false,
            ["steps_per_execution"] = 1,
            ["jit_compile"] = false,
        };
    }

    /// <summary>
    /// The loss, loss_weights and metrics entries in the form they were compiled with (Keras keeps the user's
    /// <c>_user_losses</c>/<c>_user_metrics</c> for serialization). A single-output model writes its resolved
    /// metrics exactly as before; with several outputs "accuracy" stays the name, resolved per output on load.
    /// </summary>
    static (JsonNode? Loss, JsonNode? Weights, JsonNode? Metrics) WriteArguments(Models.Model model)
    {
        var arguments = model.CompiledWith!;
        bool single = model.OutputNames.Count == 1;
        JsonNode? loss = arguments.Loss switch
        {
            Loss one => WriteLoss(one),
            IReadOnlyDictionary<string, Loss> byName => new JsonObject(byName.Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)WriteLoss(kv.Value)))),
            IReadOnlyList<Loss?> list => new JsonArray([.. list.Select(l => l is null ? null : (JsonNode)WriteLoss(l))]),
            _ => throw new LayerwiseException("Unexpected compiled loss form."),
        };
        JsonNode? weights = arguments.LossWeights switch
        {
            null => null,
            IReadOnlyDictionary<string, double> byName => new JsonObject(byName.Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)kv.Value))),
            IReadOnlyList<double> list => new JsonArray([.. list.Select(w => (JsonNode?)w)]),
            _ => throw new LayerwiseException("Unexpected compiled loss_weights form."),
        };
        JsonNode metrics = arguments.Metrics switch
        {
            _ when single => new JsonArray([.. model.Metrics.Select(m => (JsonNode?)WriteMetric(m))]),
            IReadOnlyDictionary<string, IReadOnlyList<Metric>> byName => new JsonObject(byName.Select(kv =>
                KeyValuePair.Create(kv.Key, (JsonNode?)new JsonArray([.. kv.Value.Select(WriteUserMetric)])))),
            IReadOnlyList<Metric> list => new JsonArray([.. list.Select(WriteUserMetric)]),
            _ => new JsonArray(),
        };
        return (loss, weights, metrics);
    }

    /// <summary>"accuracy" depends on each output's loss, so it is written as the name the user gave, as Keras writes strings.</summary>
    static JsonNode? WriteUserMetric(Metric metric) => metric is ResolvedByLoss ? JsonValue.Create(metric.Name) : WriteMetric(metric);

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
        if (optimizer.WeightDecay is { } weightDecay) config["weight_decay"] = weightDecay;
        if (optimizer.ClipNorm is { } clipNorm) config["clipnorm"] = clipNorm;
        if (optimizer.GlobalClipNorm is { } globalClipNorm) config["global_clipnorm"] = globalClipNorm;
        if (optimizer.ClipValue is { } clipValue) config["clipvalue"] = clipValue;
        switch (optimizer)
        {
            case Adam adam:
                config["beta_1"] = adam.Beta1;
                config["beta_2"] = adam.Beta2;
                config["epsilon"] = adam.Epsilon;
                config["amsgrad"] = adam.Amsgrad;
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
            case Adadelta adadelta:
                config["rho"] = adadelta.Rho;
                config["epsilon"] = adadelta.Epsilon;
                break;
            case Adagrad adagrad:
                config["initial_accumulator_value"] = adagrad.InitialAccumulatorValue;
                config["epsilon"] = adagrad.Epsilon;
                break;
            case Adamax adamax:
                config["beta_1"] = adamax.Beta1;
                config["beta_2"] = adamax.Beta2;
                config["epsilon"] = adamax.Epsilon;
                break;
            case Nadam nadam:
                config["beta_1"] = nadam.Beta1;
                config["beta_2"] = nadam.Beta2;
                config["epsilon"] = nadam.Epsilon;
                break;
            case Ftrl ftrl:
                config["learning_rate_power"] = ftrl.LearningRatePower;
                config["initial_accumulator_value"] = ftrl.InitialAccumulatorValue;
                config["l1_regularization_strength"] = ftrl.L1RegularizationStrength;
                config["l2_regularization_strength"] = ftrl.L2RegularizationStrength;
                config["l2_shrinkage_regularization_strength"] = ftrl.L2ShrinkageRegularizationStrength;
                config["beta"] = ftrl.Beta;
                break;
            default:
                throw new LayerwiseException($"Optimizer {optimizer.ClassName} cannot be written to a file: it is not one of Keras' built-in optimizers " +
                                             $"({string.Join(", ", Optimizer.KnownNames)}).");
        }
        return Wrap("keras.optimizers", optimizer.ClassName, config, withModule);
    }

    static JsonObject WriteLoss(Loss loss)
    {
        var config = new JsonObject { ["name"] = loss.Name, ["reduction"] = "sum_over_batch_size" };
        switch (loss)
        {
            case SparseCategoricalCrossentropy s: config["from_logits"] = s.FromLogits; break;
            case CategoricalCrossentropy c:
                config["from_logits"] = c.FromLogits;
                if (c.LabelSmoothing != 0) config["label_smoothing"] = c.LabelSmoothing;
                break;
            case BinaryCrossentropy b:
                config["from_logits"] = b.FromLogits;
                if (b.LabelSmoothing != 0) config["label_smoothing"] = b.LabelSmoothing;
                break;
            case Huber huber: config["delta"] = huber.Delta; break;
            case CosineSimilarity cosine: config["axis"] = cosine.Axis; break;
            case MeanSquaredError or Training.Losses.MeanAbsoluteError or MeanAbsolutePercentageError or MeanSquaredLogarithmicError or LogCosh
                 or KLDivergence or Poisson or Hinge or SquaredHinge or CategoricalHinge: break;
            default: throw new LayerwiseException($"Loss {loss.ClassName} cannot be written to a file: it is not one of Keras' built-in losses.");
        }
        return Wrap("keras.losses", loss.ClassName, config, withModule: true);
    }

    static JsonObject WriteMetric(Metric metric)
    {
        var config = new JsonObject { ["name"] = metric.Name, ["dtype"] = "float32" };
        switch (metric)
        {
            case BinaryAccuracy binary: config["threshold"] = binary.Threshold; break;
            case TopKCategoricalAccuracy topK: config["k"] = topK.K; break;
            case SparseTopKCategoricalAccuracy sparseTopK: config["k"] = sparseTopK.K; break;
            case Precision or Recall:
                var confusion = (ConfusionMatrixMetric)metric;
                config["thresholds"] = confusion.Thresholds[0];
                config["top_k"] = confusion.TopK;
                config["class_id"] = confusion.ClassId;
                break;
            case AUC auc:
                config["num_thresholds"] = auc.NumThresholds;
                config["curve"] = auc.Curve;
                config["summation_method"] = auc.SummationMethod;
                if (auc.GivenThresholds is { } given) config["thresholds"] = new JsonArray([.. given.Select(t => (JsonNode?)t)]);
                config["multi_label"] = false;
                config["num_labels"] = null;
                config["label_weights"] = null;
                config["from_logits"] = auc.FromLogits;
                break;
            case MeanMetricWrapper { ClassName: not "MeanMetricWrapper" }:
            case SparseCategoricalAccuracy or CategoricalAccuracy or Accuracy or Training.Metrics.MeanAbsoluteError or R2Score:
                break;
            default:
                throw new LayerwiseException($"Metric {metric.ClassName} cannot be written to a file: it is not one of Keras' built-in metrics.");
        }
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
        var lossNode = config["loss"];
        IReadOnlyList<Loss?>? lossList = null;
        Dictionary<string, Loss>? lossByOutput = null;
        Loss loss;
        if (lossNode is JsonArray { Count: > 1 } array)
        {
            // Keras writes a list of losses for a multi-output model; null leaves an output untrained.
            lossList = [.. array.Select((n, i) => n is null ? null : ReadLoss(n, $"{path}.loss[{i}]"))];
            loss = lossList.FirstOrDefault(l => l is not null) ?? throw new ConfigException(path + ".loss", "no output has a loss.");
        }
        else if (lossNode is JsonObject { Count: > 1 } byOutput && !byOutput.ContainsKey("class_name"))
        {
            lossByOutput = byOutput.ToDictionary(kv => kv.Key, kv => ReadLoss(kv.Value, $"{path}.loss.{kv.Key}"));
            loss = lossByOutput.Values.First();
        }
        else loss = ReadLoss(lossNode, path + ".loss");
        var metrics = new List<Metric>();
        CollectMetrics(config["metrics"], path + ".metrics", metrics);
        Dictionary<string, IReadOnlyList<Metric>>? metricsByOutput = null;
        if (config["metrics"] is JsonObject metricObject && !metricObject.ContainsKey("class_name"))
        {
            metricsByOutput = [];
            foreach (var (key, value) in metricObject)
            {
                var own = new List<Metric>();
                CollectMetrics(value, $"{path}.metrics.{key}", own);
                metricsByOutput[key] = own;
            }
        }
        var weightsNode = config["loss_weights"];
        return new CompileConfig(optimizer, loss, metrics)
        {
            LossList = lossList,
            LossByOutput = lossByOutput,
            LossWeightList = weightsNode is JsonArray weightArray
                ? [.. weightArray.Select((n, i) => ConfigValues.ReadDouble(n!, $"{path}.loss_weights[{i}]"))] : null,
            LossWeightsByOutput = weightsNode is JsonObject weightObject
                ? weightObject.ToDictionary(kv => kv.Key, kv => ConfigValues.ReadDouble(kv.Value!, $"{path}.loss_weights.{kv.Key}")) : null,
            MetricsByOutput = metricsByOutput,
        };
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
        double? weightDecay = reader.Has("weight_decay") && config["weight_decay"] is not null ? Number("weight_decay", 0.0) : null;
        double epsilon = Number("epsilon", 1e-7);
        try
        {
            Optimizer optimizer = name.ToLowerInvariant() switch
            {
                "adam" => new Adam(learningRate(0.001), Number("beta_1", 0.9), Number("beta_2", 0.999), epsilon,
                                   reader.Optional("amsgrad", ConfigValues.ReadBoolean, false)),
                "adamw" => new AdamW(learningRate(0.001), weightDecay ?? 0.004, Number("beta_1", 0.9), Number("beta_2", 0.999), epsilon,
                                     reader.Optional("amsgrad", ConfigValues.ReadBoolean, false)),
                "sgd" => new SGD(learningRate(0.01), Number("momentum", 0.0), reader.Optional("nesterov", ConfigValues.ReadBoolean, false)),
                "rmsprop" => new RMSprop(learningRate(0.001), Number("rho", 0.9), Number("momentum", 0.0), epsilon,
                                         reader.Optional("centered", ConfigValues.ReadBoolean, false)),
                "adadelta" => new Adadelta(learningRate(0.001), Number("rho", 0.95), epsilon),
                "adagrad" => new Adagrad(learningRate(0.001), Number("initial_accumulator_value", 0.1), epsilon),
                "adamax" => new Adamax(learningRate(0.001), Number("beta_1", 0.9), Number("beta_2", 0.999), epsilon),
                "nadam" => new Nadam(learningRate(0.001), Number("beta_1", 0.9), Number("beta_2", 0.999), epsilon),
                "ftrl" => new Ftrl(learningRate(0.001), Number("learning_rate_power", -0.5), Number("initial_accumulator_value", 0.1),
                                   Number("l1_regularization_strength", 0.0), Number("l2_regularization_strength", 0.0),
                                   Number("l2_shrinkage_regularization_strength", 0.0), Number("beta", 0.0)),
                _ => throw new ConfigException(path, $"optimizer \"{className}\" is not supported ({string.Join(", ", Optimizer.KnownNames)} are); " +
                                                     "load with compile: false and compile again."),
            };
            double? Clipping(string key) => config[key] is null ? null : Number(key, 0.0) is var v && v > 0 ? v : null;   // Keras ignores 0
            optimizer.ConfigureBase(optimizer is AdamW ? null : weightDecay, Clipping("clipnorm"), Clipping("global_clipnorm"), Clipping("clipvalue"));
            return optimizer;
        }
        catch (ArgumentException e)
        {
            throw new ConfigException(path + ".config", $"{className}: {e.Message}");
        }
    }

    static Loss ReadLoss(JsonNode? node, string path)
    {
        if (node is JsonObject perOutput && !perOutput.ContainsKey("class_name") && perOutput.Count == 1)
            node = perOutput.First().Value; // {"output_name": loss} of a single-output model
        if (node is JsonArray { Count: 1 } single) node = single[0];
        string className;
        var settings = new LossSettings();
        if (node is JsonValue) className = ConfigValues.ReadString(node, path);
        else if (node is JsonObject obj)
        {
            className = ConfigValues.ReadString(obj["class_name"], path + ".class_name");
            var config = obj["config"] as JsonObject ?? [];
            settings = new LossSettings(
                FromLogits: config["from_logits"] is { } f && ConfigValues.ReadBoolean(f, path + ".config.from_logits"),
                Name: config["name"] is { } n ? ConfigValues.ReadNullableString(n, path + ".config.name") : null,
                Delta: config["delta"] is { } d ? ConfigValues.ReadDouble(d, path + ".config.delta") : 1.0,
                Axis: config["axis"] is { } a ? ConfigValues.ReadInt32(a, path + ".config.axis") : -1,
                LabelSmoothing: config["label_smoothing"] is { } s ? ConfigValues.ReadDouble(s, path + ".config.label_smoothing") : 0.0);
        }
        else throw new ConfigException(path, $"expected a loss (a name or {{\"class_name\": ..., \"config\": {{...}}}}); received {ConfigValues.Describe(node)}.");
        return Loss.FromKerasName(className, settings)
            ?? throw new ConfigException(path, $"loss \"{className}\" is not supported ({string.Join(", ", Loss.KnownNames)} are); " +
                                               "load with compile: false and compile again.");
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
                    try
                    {
                        metrics.Add(ReadMetricWithConfig(className, name, new ConfigReader(config, className), path) ?? Named(className, name, path));
                    }
                    catch (ArgumentException e)
                    {
                        throw new ConfigException(path + ".config", $"{className}: {e.Message}");
                    }
                }
                return;
            }
            default:
                var text = ConfigValues.ReadString(node, path);
                metrics.Add(Named(text, text, path));
                return;
        }
    }

    /// <summary>The metrics whose Keras config carries settings; null for the others (they are found by name).</summary>
    static Metric? ReadMetricWithConfig(string className, string? name, ConfigReader reader, string path)
    {
        int? OptionalInt(string key) => reader.Optional(key, (n, p) => ConfigValues.ReadNullableValue(n, p, ConfigValues.ReadInt32), null);
        double SingleThreshold(double fallback)
        {
            // Keras accepts one threshold or a list; a list gives one value per threshold, which a scalar log cannot hold.
            if (reader.Config["thresholds"] is JsonArray list)
                return list.Count == 1 ? ConfigValues.ReadDouble(list[0], path + ".config.thresholds[0]")
                    : throw new ConfigException(path + ".config.thresholds", $"{className} with {list.Count} thresholds gives one value per threshold; Layerwise supports one.");
            return reader.Optional("thresholds", (n, p) => ConfigValues.ReadNullableValue(n, p, ConfigValues.ReadDouble), null) ?? fallback;
        }
        switch (className)
        {
            case "BinaryAccuracy":
                return new BinaryAccuracy(name, reader.Optional("threshold", ConfigValues.ReadDouble, 0.5));
            case "Accuracy":
                return new Accuracy(name);
            case "TopKCategoricalAccuracy":
                return new TopKCategoricalAccuracy(reader.Optional("k", ConfigValues.ReadInt32, 5), name);
            case "SparseTopKCategoricalAccuracy":
                return new SparseTopKCategoricalAccuracy(reader.Optional("k", ConfigValues.ReadInt32, 5), name);
            case "Precision":
                return new Precision(SingleThreshold(0.5), OptionalInt("top_k"), OptionalInt("class_id"), name);
            case "Recall":
                return new Recall(SingleThreshold(0.5), OptionalInt("top_k"), OptionalInt("class_id"), name);
            case "AUC":
                if (reader.Optional("multi_label", ConfigValues.ReadBoolean, false))
                    throw new ConfigException(path + ".config.multi_label", "multi-label AUC is not supported by Layerwise; load with compile: false and compile again.");
                double[]? thresholds = reader.Config["thresholds"] is JsonArray given
                    ? [.. given.Select((n, i) => ConfigValues.ReadDouble(n, $"{path}.config.thresholds[{i}]"))] : null;
                return new AUC(reader.Optional("num_thresholds", ConfigValues.ReadInt32, 200), reader.Optional("curve", ConfigValues.ReadString, "ROC"),
                               reader.Optional("summation_method", ConfigValues.ReadString, "interpolation"), name, thresholds,
                               reader.Optional("from_logits", ConfigValues.ReadBoolean, false));
            default:
                return null;
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
