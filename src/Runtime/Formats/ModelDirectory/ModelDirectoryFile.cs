using System.Text;
using Layerwise.Formats.KerasArchive;
using Layerwise.Models;

namespace Layerwise.Formats.ModelDirectory;

/// <summary>
/// A saved model as a directory (Keras 3's <c>model.save(path, zipped=False)</c>): the three entries
/// of a .keras archive as files, <c>config.json</c>, <c>metadata.json</c> and <c>model.weights.h5</c>.
/// The directory is written beside the target and swapped in, so a failed save leaves the previous one.
/// </summary>
internal static class ModelDirectoryFile
{
    public static void Save(Model model, string path)
    {
        AtomicFile.WriteDirectory(path, temporary =>
        {
            File.WriteAllText(Path.Combine(temporary, KerasSavedModel.MetadataEntry), KerasSavedModel.MetadataJson(), new UTF8Encoding(false));
            var config = KerasSavedModel.ConfigJson(model);
            File.WriteAllText(Path.Combine(temporary, KerasSavedModel.ConfigEntry), config, new UTF8Encoding(false));
            KerasSavedModel.WriteWeights(model, Path.Combine(temporary, KerasSavedModel.WeightsEntry), config);
        });
    }

    public static Model Load(string path, bool compile)
    {
        var configPath = Path.Combine(path, KerasSavedModel.ConfigEntry);
        var weightsPath = Path.Combine(path, KerasSavedModel.WeightsEntry);
        foreach (var required in new[] { configPath, weightsPath })
            if (!File.Exists(required))
                throw new ModelFileException(path, Path.GetFileName(required),
                    $"expected a Keras model directory holding {KerasSavedModel.ConfigEntry} and {KerasSavedModel.WeightsEntry} " +
                    "(or a TensorFlow SavedModel directory holding saved_model.pb); this file is missing.");
        long length = FileLength.Of(configPath);
        if (length > KerasSavedModel.MaxJsonBytes)
            throw new ModelFileException(path, KerasSavedModel.ConfigEntry, $"the file is {length} bytes; a config larger than {KerasSavedModel.MaxJsonBytes} bytes is refused.");
        var config = KerasSavedModel.ConfigText(File.ReadAllBytes(configPath), path, KerasSavedModel.ConfigEntry);
        return KerasSavedModel.Load(config, weightsPath, path, weightsPath, compile);
    }
}
