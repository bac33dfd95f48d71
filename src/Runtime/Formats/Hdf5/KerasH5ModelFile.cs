using System.Text.Json.Nodes;
using Layerwise.Layers;
using Layerwise.Models;
using Layerwise.Serialization;
using PureHDF;

namespace Layerwise.Formats.Hdf5;

/// <summary>
/// Keras 2's whole-model HDF5 file (<c>model.save("m.h5")</c>), as tf.keras 2.x writes it and Keras 3
/// writes its legacy .h5: root attributes <c>keras_version</c>, <c>backend</c>, <c>model_config</c>
/// (JSON) and <c>training_config</c> (JSON, when compiled); group <c>model_weights</c>
/// (<see cref="KerasH5Weights"/>) and group <c>optimizer_weights</c>
/// (<see cref="KerasH5OptimizerWeights"/>). Also the weights-only .h5 of Keras 2's <c>save_weights</c>.
/// </summary>
internal static class KerasH5ModelFile
{
    public static void Save(Model model, string path)
    {
        var file = new H5File();
        file.Attributes["keras_version"] = KerasH5Weights.KerasVersion;
        file.Attributes["backend"] = "tensorflow";
        file.Attributes["layerwise_version"] = LayerwiseVersion;
        var modelConfig = ModelConfigJson(model, FunctionalConfigForm.Keras2).ToJsonString();
        file.Attributes["model_config"] = modelConfig;
        string? trainingConfig = model.IsCompiled ? CompileConfig.WriteTrainingConfig(model).ToJsonString() : null;
        if (trainingConfig is not null)
            file.Attributes["training_config"] = trainingConfig;
        file.Attributes[ContentHash.ConfigAttributeName] = ContentHash.OfConfig(modelConfig, trainingConfig);
        var weights = new H5Group();
        KerasH5Weights.Write(model, weights);
        file["model_weights"] = weights;
        if (model.Optimizer is { } optimizer && (optimizer.Iterations > 0 || optimizer.SlotVariables.Count > 0))
        {
            var optimizerGroup = new H5Group();
            KerasH5OptimizerWeights.Write(model, optimizer, optimizerGroup);
            file["optimizer_weights"] = optimizerGroup;
        }
        AtomicFile.Write(path, temporary => Hdf5Output.WriteNewFile(file, temporary));
    }

    /// <summary>Keras 2's <c>save_weights("w.h5")</c>: the layers' weights at the root of the file.</summary>
    public static void SaveWeights(Model model, string path)
    {
        var file = new H5File();
        KerasH5Weights.Write(model, file);
        file.Attributes["layerwise_version"] = LayerwiseVersion;
        AtomicFile.Write(path, temporary => Hdf5Output.WriteNewFile(file, temporary));
    }

    /// <summary>
    /// The model's config as the Keras version of <paramref name="form"/> writes it into its files
    /// (<see cref="KerasConfigForms"/>): Keras 2 in .h5 files (tf.keras 2.x and Keras 3's legacy loader read
    /// it), Keras 3 in config.json.
    /// </summary>
    public static JsonObject ModelConfigJson(Model model, FunctionalConfigForm form) =>
        form == FunctionalConfigForm.Keras2 ? KerasConfigForms.Keras2(model) : KerasConfigForms.Keras3(model);

    public static Model Load(string path, bool compile)
    {
        using var input = Hdf5Input.Open(path, path);
        var root = input.Root;
        if (!input.HasAttribute(root, "model_config"))
        {
            if (input.HasAttribute(root, "layer_names") || input.HasAttribute(root, "layer_names0") || input.HasLink(root, "layers"))
                throw input.Error("/@model_config", "this is a weights-only file (written by save_weights): it holds no architecture. " +
                                                    "Create the model in code, then call LoadWeights on it.");
            throw input.Error("/@model_config", "expected a Keras model file with a \"model_config\" attribute; the file has none.");
        }
        var configText = input.ReadString(root, "model_config");
        if (input.ReadOptionalString(root, ContentHash.ConfigAttributeName) is { } recorded
            && recorded != ContentHash.OfConfig(configText, input.ReadOptionalString(root, "training_config")))
            throw input.Error("/@model_config", $"the model_config and training_config texts do not match the SHA-256 recorded beside them when the file was written " +
                                                "(/@" + ContentHash.ConfigAttributeName + "): the file was damaged after it was written.");
        var modelConfig = KerasModelConfig.Parse(configText, path, "/@model_config");
        Model model;
        using (ParameterBudget.ForFile(path, "/@model_config", input.Length))
        {
            model = KerasModelConfig.CreateModel(modelConfig, path, "/@model_config", weightsFollow: true);
            ModelBuilding.Build(model, modelConfig, path, "/@model_config");
        }

        using var staged = StagedWeights.ForNewModel(model);
        var weightsGroup = input.HasLink(root, "model_weights") ? input.Group(root, "model_weights") : root;
        KerasH5Weights.Read(input, weightsGroup, model, staged);

        string? optimizerProblem = null;
        if (compile && input.HasAttribute(root, "training_config"))
        {
            var trainingText = input.ReadString(root, "training_config");
            var trainingConfig = KerasModelConfig.Parse(trainingText, path, "/@training_config");
            CompileConfig compileConfig;
            try
            {
                compileConfig = CompileConfig.Read(trainingConfig, "training_config");
                compileConfig.CompileInto(model);
            }
            catch (ConfigException e)
            {
                throw new ModelFileException(path, "/@training_config", e.Message + " (Model.Load(path, compile: false) loads the model without it.)", e);
            }
            if (input.HasLink(root, "optimizer_weights"))
                optimizerProblem = KerasH5OptimizerWeights.Read(input, input.Group(root, "optimizer_weights"), model, compileConfig.Optimizer, staged);
        }
        staged.Apply(optimizerProblem is null ? model.Optimizer : null);
        if (optimizerProblem is not null)
            Output.Writer.WriteLine($"WARNING: the optimizer state in \"{path}\" was not loaded: {optimizerProblem}. The model starts with a fresh optimizer.");
        return model;
    }

    /// <summary>Loads weights saved by <see cref="SaveWeights"/>, Keras 2's <c>save_weights</c> or a whole-model .h5 into a model.</summary>
    public static void LoadWeights(Model model, Hdf5Input input, bool verifyFirst)
    {
        var root = input.Root;
        var group = input.HasLink(root, "model_weights") ? input.Group(root, "model_weights") : root;
        using var staged = new StagedWeights(verifyFirst);
        KerasH5Weights.Read(input, group, model, staged);
        staged.Apply(null);
    }

    internal static string LayerwiseVersion => typeof(KerasH5ModelFile).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";
}
