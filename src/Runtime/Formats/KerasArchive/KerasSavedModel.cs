using System.Globalization;
using System.Text.Json.Nodes;
using Layerwise.Formats.Hdf5;
using Layerwise.Layers;
using Layerwise.Models;
using Layerwise.Serialization;
using PureHDF;

namespace Layerwise.Formats.KerasArchive;

/// <summary>
/// The three entries of a Keras 3 saved model, shared by the .keras archive and the model directory:
/// <c>config.json</c> (<c>{module, class_name, config, registered_name, build_config, compile_config}</c>),
/// <c>metadata.json</c> (<c>keras_version</c>, <c>date_saved</c>: the two keys Keras writes) and <c>model.weights.h5</c>
/// (<see cref="KerasWeightsStore"/>, with the optimizer's variables).
/// </summary>
internal static class KerasSavedModel
{
    public const string ConfigEntry = "config.json";
    public const string MetadataEntry = "metadata.json";
    public const string WeightsEntry = "model.weights.h5";

    /// <summary>The Keras 3 version whose layout is written.</summary>
    public const string KerasVersion = "3.6.0";

    /// <summary>Largest config.json / metadata.json read (a config of thousands of layers is a few MB).</summary>
    public const long MaxJsonBytes = 64L << 20;

    public static string ConfigJson(Model model)
    {
        var config = KerasH5ModelFile.ModelConfigJson(model, FunctionalConfigForm.Keras3);
        if (model.IsCompiled)
            config["compile_config"] = CompileConfig.WriteCompileConfig(model);
        return config.ToJsonString();
    }

    public static string MetadataJson() => new JsonObject
    {
        ["keras_version"] = KerasVersion,
        ["date_saved"] = DateTime.Now.ToString("yyyy-MM-dd@HH:mm:ss", CultureInfo.InvariantCulture),
    }.ToJsonString();

    /// <summary>
    /// Writes model.weights.h5, with the hash of <paramref name="configJson"/> (the config.json written beside it)
    /// as its root attribute <see cref="ContentHash.ConfigAttributeName"/>, which Keras ignores: config.json has
    /// no checksum of its own, and a changed layer name or setting would otherwise load silently.
    /// </summary>
    public static void WriteWeights(Model model, string path, string configJson)
    {
        var file = new H5File();
        KerasWeightsStore.Write(model, file, includeOptimizer: true);
        file.Attributes[ContentHash.ConfigAttributeName] = ContentHash.OfConfig(configJson, null);
        Hdf5Output.WriteNewFile(file, path);
    }

    /// <summary>
    /// config.json's bytes as text, measured against the config budgets (<see cref="ConfigTextBudget"/>) before they
    /// are decoded: a config over budget would otherwise cost twice its size as a string, and a member that
    /// inflates well (repeated text) far more than its archive.
    /// </summary>
    public static string ConfigText(byte[] bytes, string path, string name)
    {
        var text = bytes.AsSpan(bytes.AsSpan().StartsWith("\uFEFF"u8) ? 3 : 0);   // a byte-order mark, as File.ReadAllText skips it
        string? problem;
        try { problem = ConfigTextBudget.Problem(text); }
        catch (System.Text.Json.JsonException) { problem = null; }   // not JSON: reported, with where, when parsed
        if (problem is not null) throw new ModelFileException(path, name, problem);
        try
        {
            return new System.Text.UTF8Encoding(false, throwOnInvalidBytes: true).GetString(text);
        }
        catch (System.Text.DecoderFallbackException e)
        {
            throw new ModelFileException(path, name, "expected UTF-8 JSON text; the file holds invalid UTF-8.", e);
        }
    }

    /// <summary>Creates, builds, fills and (with <paramref name="compile"/>) compiles the model the entries describe.</summary>
    public static Model Load(string configJson, string weightsPath, string displayPath, string weightsDisplayPath, bool compile)
    {
        var configPath = ConfigEntry;
        var config = KerasModelConfig.Parse(configJson, displayPath, configPath);
        Model model;
        using (ParameterBudget.ForFile(displayPath, configPath, FileLength.Of(weightsPath)))
        {
            model = KerasModelConfig.CreateModel(config, displayPath, configPath, weightsFollow: true);
            ModelBuilding.Build(model, config, displayPath, configPath);
        }

        using var input = Hdf5Input.Open(weightsPath, weightsDisplayPath);
        // A config that was refused above says why itself; one that made a model must be the one that was saved.
        if (input.ReadOptionalString(input.Root, ContentHash.ConfigAttributeName) is { } recorded && recorded != ContentHash.OfConfig(configJson, null))
            throw new ModelFileException(displayPath, configPath,
                $"config.json does not match the hash recorded when the model was saved ({WeightsEntry}/@{ContentHash.ConfigAttributeName}): " +
                "it was changed or damaged after it was written. (To use an edited config, create the model with Model.FromJson and call LoadWeights.)");
        using var staged = StagedWeights.ForNewModel(model);
        KerasWeightsStore.Read(input, model, staged);
        string? optimizerProblem = null;
        if (compile && config["compile_config"] is JsonObject compileNode)
        {
            CompileConfig compileConfig;
            try
            {
                compileConfig = CompileConfig.Read(compileNode, "compile_config");
                compileConfig.CompileInto(model);
            }
            catch (ConfigException e)
            {
                throw new ModelFileException(displayPath, configPath + ".compile_config", e.Message + " (Model.Load(path, compile: false) loads the model without it.)", e);
            }
            optimizerProblem = KerasWeightsStore.ReadOptimizer(input, model, compileConfig.Optimizer, staged);
        }
        staged.Apply(optimizerProblem is null ? model.Optimizer : null);
        if (optimizerProblem is not null)
            Output.Writer.WriteLine($"WARNING: the optimizer state in \"{displayPath}\" was not loaded: {optimizerProblem}. The model starts with a fresh optimizer.");
        return model;
    }
}
