using System.Text.Json;
using System.Text.Json.Nodes;
using Layerwise.Layers;
using Layerwise.Models;
using Layerwise.Serialization;

namespace Layerwise.Formats;

/// <summary>
/// The model config of a file (the <c>model_config</c> attribute of an .h5, config.json of a .keras
/// archive), brought to the form the registry reads, then turned into a model. What real Keras
/// versions wrote differs; this is where those differences are absorbed, as Keras' own legacy loaders
/// do: Keras 1 Sequential configs that are a bare list of layers and its key names (<c>output_dim</c>,
/// <c>nb_filter</c>, <c>border_mode</c>, <c>subsample</c>, <c>dim_ordering</c>, <c>init</c>,
/// <c>filter_length</c>, <c>subsample_length</c>, <c>inner_activation</c>, ...),
/// Keras 3 dtype policies (<c>{"class_name": "DTypePolicy", ...}</c>) and <c>VarianceScaling</c>
/// initializers. Before anything is built, a config naming classes that are not registered is refused
/// listing all of them (<see cref="UnsupportedLayersException"/>), and a Lambda layer anywhere is refused.
/// </summary>
internal static class KerasModelConfig
{
    /// <summary>Largest config text parsed (<c>Model.FromJson</c> included): a config of thousands of layers is a few MB.</summary>
    public const int MaxJsonChars = 64 << 20;

    /// <summary>
    /// Parses JSON text from a file; a <see cref="ModelFileException"/> when it is not JSON, is larger than
    /// <see cref="MaxJsonChars"/>, exceeds a budget of its text (<see cref="ConfigTextBudget"/>: values, depth, layers,
    /// checked before any tree is built), or repeats a key in one object (Python's json keeps the last value, .NET's
    /// JsonObject threw an untyped ArgumentException on first access; a repeated key is refused, naming it).
    /// </summary>
    public static JsonObject Parse(string json, string filePath, string objectPath)
    {
        var node = ParseAny(json, filePath, objectPath);
        return node as JsonObject
            ?? throw new ModelFileException(filePath, objectPath, $"expected a JSON object; received {ConfigValues.Describe(node)}.");
    }

    /// <summary>As <see cref="Parse"/>, for JSON text of any kind (a SavedModel node's metadata).</summary>
    public static JsonNode? ParseAny(string json, string filePath, string objectPath)
    {
        if (json.Length > MaxJsonChars)
            throw new ModelFileException(filePath, objectPath, $"the config is {json.Length} characters long; a config larger than {MaxJsonChars} is refused.");
        JsonNode? node;
        try
        {
            var utf8 = System.Text.Encoding.UTF8.GetBytes(json);
            // Measured as text first: the tree costs 10-20 times the text, so a config over budget never becomes one.
            if (ConfigTextBudget.Problem(utf8) is { } problem)
                throw new ModelFileException(filePath, objectPath, problem);
            node = JsonNode.Parse(utf8, documentOptions: ConfigTextBudget.ParseOptions);
        }
        catch (JsonException e)
        {
            throw new ModelFileException(filePath, objectPath, $"expected a JSON object; the text is not valid JSON ({e.Message}).", e);
        }
        return node;
    }

    /// <summary>
    /// Checks and upgrades a model config in place (see the class summary) and builds the model it
    /// describes through <see cref="LayerRegistry"/>; the model is not built (no weights) yet, except a
    /// functional model, whose layers are built with its graph (with <paramref name="weightsFollow"/>,
    /// as zeros, since the caller reads every weight next).
    /// </summary>
    public static Model CreateModel(JsonObject modelConfig, string filePath, string objectPath, bool weightsFollow = false)
    {
        Upgrade(modelConfig);
        RefuseUnsupportedLayers(modelConfig, filePath, objectPath);
        RefuseLambdas(modelConfig, filePath, objectPath);
        int layers = CountLayers(modelConfig);
        if (layers > LoadLimits.MaxLayers)
            throw new ModelFileException(filePath, objectPath,
                $"the config describes {layers} layers, more than LoadLimits.MaxLayers = {LoadLimits.MaxLayers}; raise it to load a larger model.");
        Layer created;
        try
        {
            // A functional model builds its layers while its graph is replayed; when weights are read
            // next, their initializers are skipped as ModelBuilding.Build skips them.
            using (weightsFollow ? WeightInitialization.Skip() : null)
                created = LayerRegistry.Deserialize(modelConfig, "model_config");
        }
        catch (LayerwiseException e) when (e is not ModelFileException)
        {
            throw new ModelFileException(filePath, objectPath, e.Message, e);
        }
        catch (ArgumentException e)
        {
            throw new ModelFileException(filePath, objectPath, $"the config describes a layer that cannot be created: {e.Message}", e);
        }
        return created as Model
            ?? throw new ModelFileException(filePath, objectPath, $"expected a model config; it describes a {created.ClassName} layer.");
    }

    /// <summary>
    /// Walks the whole config (nested models, wrapped layers) and refuses it, naming every layer whose
    /// class is not registered, when there is one besides Lambda layers (which have their own explanation).
    /// </summary>
    static void RefuseUnsupportedLayers(JsonObject modelConfig, string filePath, string objectPath)
    {
        var unsupported = new List<UnsupportedLayer>();
        CollectUnsupported(modelConfig, unsupported);
        if (unsupported.Any(l => l.ClassName != "Lambda"))
            throw new UnsupportedLayersException(filePath, objectPath, unsupported);
    }

    /// <summary>Config keys under which Keras nests a layer in another's config (wrappers, RNN cells).</summary>
    static readonly string[] NestedLayerKeys = ["layer", "backward_layer", "forward_layer", "cell"];

    static void CollectUnsupported(JsonObject obj, List<UnsupportedLayer> found)
    {
        var className = StringOrNull(obj["class_name"]);
        var registeredName = StringOrNull(obj["registered_name"]);
        var config = obj["config"] as JsonObject;
        bool known;
        try
        {
            known = LayerRegistry.IsRegistered(registeredName, className, out _);
        }
        catch (LayerwiseException)
        {
            known = true;   // a name registered twice: creating the layer reports it
        }
        if (!known && (className ?? registeredName) is { } shownName)
        {
            var layerName = StringOrNull(config?["name"]) ?? StringOrNull(obj["name"]) ?? "(unnamed)";
            bool keras = KerasLayerNames.IsKerasClass(className, registeredName, StringOrNull(obj["module"]));
            found.Add(new UnsupportedLayer(shownName, registeredName, layerName, keras)
            {
                NearMatches = keras ? [] : LayerRegistry.NearMatches(registeredName ?? shownName),
            });
        }
        if (config is null) return;
        if (config["layers"] is JsonArray layers)
            foreach (var layer in layers.OfType<JsonObject>()) CollectUnsupported(layer, found);
        if (config["cells"] is JsonArray cells)
            foreach (var cell in cells.OfType<JsonObject>()) CollectUnsupported(cell, found);
        foreach (var key in NestedLayerKeys)
            if (config[key] is JsonObject nested && nested.ContainsKey("class_name")) CollectUnsupported(nested, found);
    }

    /// <summary>The layers of every <c>layers</c> list in the config, nested models' included (no recursion: an explicit stack).</summary>
    static int CountLayers(JsonObject modelConfig)
    {
        int count = 0;
        var pending = new Stack<JsonObject>();
        pending.Push(modelConfig);
        while (pending.Count > 0)
        {
            var config = pending.Pop()["config"] as JsonObject;
            if (config is null) continue;
            if (config["layers"] is JsonArray layers)
            {
                count += layers.Count;
                foreach (var layer in layers.OfType<JsonObject>()) pending.Push(layer);
            }
            foreach (var key in NestedLayerKeys)
                if (config[key] is JsonObject nested) { count++; pending.Push(nested); }
        }
        return count;
    }

    static string? StringOrNull(JsonNode? node) => node is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    static void RefuseLambdas(JsonNode? node, string filePath, string objectPath)
    {
        switch (node)
        {
            case JsonObject obj:
                if (obj["class_name"] is JsonValue c && c.TryGetValue<string>(out var name) && name == "Lambda")
                {
                    var config = obj["config"] as JsonObject;
                    var layerName = config?["name"] is JsonValue n && n.TryGetValue<string>(out var text) ? text : "(unnamed)";
                    throw new LambdaLayerException(filePath, objectPath, layerName);
                }
                foreach (var (_, value) in obj) RefuseLambdas(value, filePath, objectPath);
                break;
            case JsonArray array:
                foreach (var item in array) RefuseLambdas(item, filePath, objectPath);
                break;
        }
    }

    /// <summary>Brings one serialized object (a model or a layer) and everything nested in it to the current form.</summary>
    static void Upgrade(JsonObject obj)
    {
        var className = obj["class_name"] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;
        if (className is not null && RenamedClasses.TryGetValue(className, out var renamed))
        {
            obj["class_name"] = renamed;
            className = renamed;
        }
        // Keras 2.0 - 2.3 called functional models "Model"; from 2.4 on (and in Keras 3) they are "Functional".
        if (className == "Model" && obj["config"] is JsonObject { } graphConfig && graphConfig.ContainsKey("input_layers"))
        {
            obj["class_name"] = "Functional";
            obj.Remove("registered_name");
            className = "Functional";
        }
        if (className == "Sequential" && obj["config"] is JsonArray bareList)
        {
            // Keras 1 and early Keras 2: the config of a Sequential is the list of its layers.
            obj["config"] = new JsonObject { ["name"] = "sequential", ["layers"] = bareList.DeepClone() };
        }
        if (obj["config"] is not JsonObject config) return;
        if (className == "Sequential") FoldCreatedInputLayer(config);
        UpgradeLayerConfig(className, config);
        if (config["layers"] is JsonArray layers)
            foreach (var layer in layers.OfType<JsonObject>()) Upgrade(layer);
        foreach (var (key, value) in config.ToList())
            if (value is JsonObject nested && nested.ContainsKey("class_name") && nested.ContainsKey("config") && key.EndsWith("layer", StringComparison.Ordinal))
                Upgrade(nested);
    }

    /// <summary>
    /// Keras 3 gives a Sequential built from its first layer's input shape an InputLayer of its own, named
    /// <c>input_layer</c> (<c>input_layer_3</c>, ...), and takes the shape out of that layer's config; Layerwise
    /// writes Keras 3 configs the same way. Reading, that InputLayer's shape goes back into the first layer's
    /// <c>batch_input_shape</c> (the same model), so a model saved and loaded has the layer configs it was
    /// created with. A named InputLayer (<c>new InputLayer([4], name: "pixels")</c>, Layerwise's default
    /// <c>input_1</c>), or one before a nested model, stays.
    /// </summary>
    static void FoldCreatedInputLayer(JsonObject config)
    {
        if (config["layers"] is not JsonArray { Count: >= 2 } layers
            || layers[0] is not JsonObject { } input || StringOrNull(input["class_name"]) != "InputLayer"
            || input["config"] is not JsonObject inputConfig
            || inputConfig["name"] is not JsonValue nameValue || !nameValue.TryGetValue<string>(out var name)
            || !System.Text.RegularExpressions.Regex.IsMatch(name, "^input_layer(_[0-9]+)?$")
            || (inputConfig["batch_shape"] ?? inputConfig["batch_input_shape"]) is not JsonArray shape
            || layers[1] is not JsonObject { } first || first["config"] is not JsonObject firstConfig
            || StringOrNull(first["class_name"]) is "Sequential" or "Functional" or "Model"
            || firstConfig.ContainsKey("batch_input_shape") || firstConfig.ContainsKey("batch_shape") || firstConfig.ContainsKey("input_shape"))
            return;
        firstConfig["batch_input_shape"] = shape.DeepClone();
        layers.RemoveAt(0);
    }

    /// <summary>The class name a config's class name stands for (Keras 1 and alias spellings upgraded), as <see cref="CreateModel"/> resolves it.</summary>
    public static string CanonicalClassName(string className) => RenamedClasses.GetValueOrDefault(className, className);

    static readonly Dictionary<string, string> RenamedClasses = new(StringComparer.Ordinal)
    {
        ["Convolution1D"] = "Conv1D",
        ["AtrousConvolution1D"] = "Conv1D",
        ["Convolution2D"] = "Conv2D",
        ["MaxPool2D"] = "MaxPooling2D",
        // Keras' short aliases; Keras itself writes the long class names, other tools may not.
        ["AvgPool2D"] = "AveragePooling2D",
        ["MaxPool1D"] = "MaxPooling1D",
        ["AvgPool1D"] = "AveragePooling1D",
        ["GlobalAvgPool1D"] = "GlobalAveragePooling1D",
        ["GlobalMaxPool1D"] = "GlobalMaxPooling1D",
        ["GlobalAvgPool2D"] = "GlobalAveragePooling2D",
        ["GlobalMaxPool2D"] = "GlobalMaxPooling2D",
        ["Convolution3D"] = "Conv3D",
        ["MaxPool3D"] = "MaxPooling3D",
        ["AvgPool3D"] = "AveragePooling3D",
        ["GlobalAvgPool3D"] = "GlobalAveragePooling3D",
        ["GlobalMaxPool3D"] = "GlobalMaxPooling3D",
        ["Convolution1DTranspose"] = "Conv1DTranspose",
        ["Convolution2DTranspose"] = "Conv2DTranspose",
        ["Convolution3DTranspose"] = "Conv3DTranspose",
        // Keras 1's Deconvolution2D also named its output_shape, which Keras 2's legacy loader drops and recomputes.
        ["Deconvolution2D"] = "Conv2DTranspose",
        ["Deconvolution3D"] = "Conv3DTranspose",
        ["SeparableConvolution1D"] = "SeparableConv1D",
        ["SeparableConvolution2D"] = "SeparableConv2D",
        ["DepthwiseConvolution2D"] = "DepthwiseConv2D",
    };

    static void UpgradeLayerConfig(string? className, JsonObject config)
    {
        // Keras 3: the dtype is a policy object; the runtime's layers are float32 and read a name.
        if (config["dtype"] is JsonObject policy)
            config["dtype"] = policy["config"]?["name"]?.DeepClone() ?? "float32";

        // Keras 1 key names (keras/legacy/interfaces.py), where the new key is absent.
        // Embedding's input_dim and output_dim are its own keys (vocabulary and vector sizes), and Keras 1's init its embeddings_initializer.
        bool embedding = className == "Embedding";
        if (embedding) Rename(config, "init", "embeddings_initializer");
        else Rename(config, "output_dim", "units");
        Rename(config, "nb_filter", "filters");
        Rename(config, "init", "kernel_initializer");
        Rename(config, "bias", "use_bias");
        Rename(config, "subsample", "strides");
        Rename(config, "border_mode", "padding");
        Rename(config, "pool_length", "pool_size");
        Rename(config, "stride", "strides");
        Rename(config, "input_dtype", "dtype");
        if (className == "Dropout") Rename(config, "p", "rate");
        // Keras 3 calls LeakyReLU's alpha negative_slope (and still reads alpha, which we write).
        if (className == "LeakyReLU") Rename(config, "negative_slope", "alpha");
        if (className == "Conv1D") UpgradeConv1DConfig(config);
        // Keras 1's pool_length and stride (renamed above) were single numbers; Keras 2 writes one-element lists.
        if (className is "MaxPooling1D" or "AveragePooling1D")
            foreach (var key in new[] { "pool_size", "strides" })
                if (config[key] is JsonValue single) config[key] = new JsonArray(single.DeepClone());
        UpgradeSpatialConfig(className, config);
        if (config["nb_row"] is { } rows && config["nb_col"] is { } cols && !config.ContainsKey("kernel_size"))
        {
            config["kernel_size"] = new JsonArray(rows.DeepClone(), cols.DeepClone());
            config.Remove("nb_row");
            config.Remove("nb_col");
        }
        if (config["dim_ordering"] is JsonValue ordering && ordering.TryGetValue<string>(out var dim) && !config.ContainsKey("data_format"))
        {
            config["data_format"] = dim == "th" ? "channels_first" : "channels_last";
            config.Remove("dim_ordering");
        }
        if (!embedding && config["input_dim"] is { } inputDim && !config.ContainsKey("batch_input_shape") && !config.ContainsKey("batch_shape") && !config.ContainsKey("input_shape"))
            config["batch_input_shape"] = className is not null && RecurrentClasses.Contains(className)
                ? new JsonArray(null, config["input_length"]?.DeepClone(), inputDim.DeepClone())
                : new JsonArray(null, inputDim.DeepClone());
        if (className is not null && RecurrentClasses.Contains(className)) UpgradeKeras1Recurrent(config);

        // reset_after appeared in Keras 2.1.6 (default false) and every later Keras writes it; a GRU
        // config without it comes from Keras 1 or 2.0-2.1.5, whose GRU was the reset_after=false one.
        if (className == "GRU" && !config.ContainsKey("reset_after")) config["reset_after"] = false;

        // Keras writes LayerNormalization's axis as a number until built, a list after; the layer takes a list.
        if (className == "LayerNormalization")
        {
            if (config["axis"] is JsonValue axis) config["axis"] = new JsonArray(axis.DeepClone());
            // Keras 3.1's rms_scaling skips the mean; computing the plain form instead would give other outputs.
            if (config["rms_scaling"] is JsonValue rms && rms.TryGetValue<bool>(out var on) && on)
                throw new ConfigException("LayerNormalization.config.rms_scaling",
                    $"LayerNormalization \"{config["name"]}\" uses rms_scaling=true, which is not supported; expected rms_scaling=false.");
        }

        UpgradeNumberOrListKeys(className, config);

        // tf.keras 2 writes BatchNormalization's axis as a list once built ([3]); the layer takes one axis.
        if (className == "BatchNormalization" && config["axis"] is JsonArray { Count: 1 } axes)
            config["axis"] = axes[0]?.DeepClone();

        foreach (var key in new[] { "kernel_initializer", "recurrent_initializer", "bias_initializer", "embeddings_initializer" })
            if (config[key] is { } initializer) config[key] = UpgradeInitializer(initializer);
    }

    /// <summary>
    /// Keys Keras writes as a number or a list where the layer takes a list: Normalization's axis (null is
    /// Keras' <c>axis=None</c>, no kept axis) and given mean/variance, Dot's axes (one number for both
    /// inputs), MultiHeadAttention's and EinsumDense's output_shape, MultiHeadAttention's attention_axes.
    /// </summary>
    static void UpgradeNumberOrListKeys(string? className, JsonObject config)
    {
        string[] keys = className switch
        {
            "Normalization" => ["axis", "mean", "variance"],
            "Dot" => ["axes"],
            "MultiHeadAttention" => ["output_shape", "attention_axes"],
            "EinsumDense" => ["output_shape"],
            _ => [],
        };
        foreach (var key in keys)
            if (config[key] is JsonValue single)
                config[key] = className == "Dot" ? new JsonArray(single.DeepClone(), single.DeepClone()) : new JsonArray(single.DeepClone());
        if (className == "Normalization" && config.TryGetPropertyValue("axis", out var axis) && axis is null)
            config["axis"] = new JsonArray();
    }

    /// <summary>
    /// Keras 1's <c>Convolution1D</c>/<c>AtrousConvolution1D</c> keys (<c>filter_length</c>,
    /// <c>subsample_length</c>, <c>atrous_rate</c>: single numbers) and its input shape, given as
    /// <c>input_length</c> steps of <c>input_dim</c> channels (Keras 2's <c>legacy_conv1d_support</c>).
    /// </summary>
    static void UpgradeConv1DConfig(JsonObject config)
    {
        Rename(config, "filter_length", "kernel_size");
        Rename(config, "subsample_length", "strides");
        Rename(config, "atrous_rate", "dilation_rate");
        foreach (var key in new[] { "kernel_size", "strides", "dilation_rate" })
            if (config[key] is JsonValue single) config[key] = new JsonArray(single.DeepClone());
        if (!config.ContainsKey("input_dim")) return;
        var inputDim = config["input_dim"];
        var inputLength = config["input_length"];
        config.Remove("input_dim");
        config.Remove("input_length");
        // A null input_length is a sequence of any length: (None, input_dim), as legacy_conv1d_support makes it.
        if (inputDim is not null &&
            !config.ContainsKey("batch_input_shape") && !config.ContainsKey("batch_shape") && !config.ContainsKey("input_shape"))
            config["batch_input_shape"] = new JsonArray(null, inputLength?.DeepClone(), inputDim.DeepClone());
    }

    /// <summary>
    /// Keras 1 forms of the spatial layers: <c>Convolution3D</c>'s <c>kernel_dim1..3</c>,
    /// <c>UpSampling1D</c>'s <c>length</c>, and <c>ZeroPadding*</c>/<c>Cropping*</c> amounts given
    /// as one number or one number per axis (Keras 2 writes a (before, after) pair per axis).
    /// </summary>
    static void UpgradeSpatialConfig(string? className, JsonObject config)
    {
        if (config["kernel_dim1"] is { } d1 && config["kernel_dim2"] is { } d2 && config["kernel_dim3"] is { } d3 && !config.ContainsKey("kernel_size"))
        {
            config["kernel_size"] = new JsonArray(d1.DeepClone(), d2.DeepClone(), d3.DeepClone());
            foreach (var key in new[] { "kernel_dim1", "kernel_dim2", "kernel_dim3" }) config.Remove(key);
        }
        if (className == "UpSampling1D") Rename(config, "length", "size");
        string? key1 = className switch
        {
            "ZeroPadding1D" or "ZeroPadding2D" or "ZeroPadding3D" => "padding",
            "Cropping1D" or "Cropping2D" or "Cropping3D" => "cropping",
            _ => null,
        };
        if (key1 is null || !config.ContainsKey(key1)) return;
        bool oneAxis = className!.EndsWith("1D", StringComparison.Ordinal);
        config[key1] = (config[key1], oneAxis) switch
        {
            (JsonValue single, true) => new JsonArray(single.DeepClone()),
            (JsonValue single, false) => new JsonArray(new JsonArray(single.DeepClone())),
            (JsonArray perAxis, false) when perAxis.All(a => a is JsonValue) =>
                new JsonArray([.. perAxis.Select(a => (JsonNode)new JsonArray(a!.DeepClone()))]),
            var (asWritten, _) => asWritten?.DeepClone(),
        };
    }

    static readonly HashSet<string> RecurrentClasses = new(StringComparer.Ordinal) { "SimpleRNN", "LSTM", "GRU" };

    /// <summary>
    /// Keras 1 recurrent keys (keras/legacy/interfaces.py): <c>inner_init</c>, <c>inner_activation</c>,
    /// <c>dropout_W</c>/<c>dropout_U</c>, and <c>forget_bias_init</c> ("one" is <c>unit_forget_bias</c>).
    /// <c>consume_less</c> only chose how Keras computed the gates; it is dropped.
    /// </summary>
    static void UpgradeKeras1Recurrent(JsonObject config)
    {
        Rename(config, "inner_init", "recurrent_initializer");
        Rename(config, "inner_activation", "recurrent_activation");
        Rename(config, "dropout_W", "dropout");
        Rename(config, "dropout_U", "recurrent_dropout");
        if (config["forget_bias_init"] is JsonValue forget && !config.ContainsKey("unit_forget_bias"))
            config["unit_forget_bias"] = forget.TryGetValue<string>(out var init) && init == "one";
        config.Remove("forget_bias_init");
        config.Remove("consume_less");
    }

    static void Rename(JsonObject config, string oldKey, string newKey)
    {
        if (!config.TryGetPropertyValue(oldKey, out var value) || config.ContainsKey(newKey)) return;
        config.Remove(oldKey);
        config[newKey] = value;
    }

    /// <summary>
    /// Keras 2's <c>VarianceScaling</c> config of a Glorot, He or LeCun initializer becomes that
    /// initializer's name (what Keras itself writes in later versions).
    /// </summary>
    static JsonNode UpgradeInitializer(JsonNode node)
    {
        if (node is not JsonObject obj || obj["class_name"] is not JsonValue c || !c.TryGetValue<string>(out var className)) return node;
        if (className != "VarianceScaling" || obj["config"] is not JsonObject config) return node;
        double scale = config["scale"] is JsonValue sv && sv.TryGetValue<double>(out var sc) ? sc : 1.0;
        string mode = config["mode"] is JsonValue mv && mv.TryGetValue<string>(out var m) ? m : "fan_in";
        string distribution = config["distribution"] is JsonValue dv && dv.TryGetValue<string>(out var d) ? d : "truncated_normal";
        // Other settings (and the untruncated normal) stay a VarianceScaling, which reads them.
        if (distribution is not ("uniform" or "truncated_normal" or "normal")) return node;
        bool uniform = distribution == "uniform";
        string? name = (scale, mode) switch
        {
            (1.0, "fan_avg") => uniform ? "GlorotUniform" : "GlorotNormal",
            (2.0, "fan_in") => uniform ? "HeUniform" : "HeNormal",
            (1.0, "fan_in") => uniform ? "LecunUniform" : "LecunNormal",
            _ => null,
        };
        return name is null ? node : new JsonObject { ["class_name"] = name, ["config"] = new JsonObject() };
    }
}
