using Layerwise.Models;

namespace Layerwise.Cli;

/// <summary>Loads a model from any file the tool reads: whole models directly, weights into the architecture of another file.</summary>
internal static class ModelOpener
{
    /// <summary>
    /// The model <paramref name="file"/> holds; for a weights-only file, the model of <paramref name="architecture"/>
    /// (any whole-model file) with those weights loaded.
    /// </summary>
    public static Model Open(ModelFile file, string? architecture, bool compile = false)
    {
        if (file.IsWholeModel) return Model.Load(file.Path, compile);
        if (file.Kind == ModelFileKind.Tfjs)
            throw new CliException(ExitCodes.Unsupported, $"{file.Path}: TensorFlow.js models are written (convert OUT --to tfjs) but not read back.");
        if (architecture is null)
            throw new CliException(ExitCodes.Usage,
                $"{file.Path} holds weights only ({file.Description}); pass --model FILE with a whole-model file that gives the architecture.");
        var archFile = ModelFile.Resolve(architecture);
        if (!archFile.IsWholeModel)
            throw new CliException(ExitCodes.Usage, $"--model {architecture}: expected a whole-model file (.h5 model, .keras, model directory, SavedModel), found {archFile.Description}.");
        var model = Model.Load(archFile.Path, compile);
        model.LoadWeights(file.Path);
        return model;
    }
}
