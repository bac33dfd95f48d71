using System.IO.Compression;
using System.Text;
using Layerwise.Formats;
using Layerwise.Models;

namespace Layerwise.Tests.Security;

/// <summary>.keras archives damaged after they were written, and zip bombs.</summary>
public class HostileArchiveTests : IDisposable
{
    readonly TempDirectory dir = new();

    public HostileArchiveTests() => TutorialModel.SingleThread();

    public void Dispose() => dir.Dispose();

    [Fact]
    public void A_member_whose_bytes_do_not_match_its_crc32_is_refused()
    {
        var path = dir.Combine("model.keras");
        TutorialModel.Create(hidden: 4).Save(path);
        var bytes = File.ReadAllBytes(path);
        // Inside config.json (stored, as Keras stores it): the model's name. A renamed model loaded silently
        // before, as would any damage the JSON parser accepts; Python's zipfile refuses the archive.
        var model = Model.Load(path);
        int at = HostileHdf5Tests.IndexOf(bytes, Encoding.UTF8.GetBytes($"\"{model.Name}\""));
        bytes[at + 1] ^= 0x01;
        File.WriteAllBytes(path, bytes);
        var error = Assert.Throws<ModelFileException>(() => Model.Load(path));
        Assert.Contains("CRC-32", error.Message);
        Assert.Equal(KerasArchiveConfigEntry, error.ObjectPath);
    }

    const string KerasArchiveConfigEntry = "config.json";

    [Fact]
    public void A_member_inflating_more_than_a_hundred_times_is_refused_before_extraction()
    {
        var path = dir.Combine("bomb.keras");
        var config = Encoding.UTF8.GetString(ReadMember(SaveTutorialArchive(), KerasArchiveConfigEntry));
        using (var zip = ZipFile.Open(path, ZipArchiveMode.Create))
        {
            using (var writer = new StreamWriter(zip.CreateEntry(KerasArchiveConfigEntry, CompressionLevel.NoCompression).Open()))
                writer.Write(config);
            using var weights = zip.CreateEntry("model.weights.h5", CompressionLevel.SmallestSize).Open();
            weights.Write(new byte[8 << 20]);   // 8 MB of zeros deflate about 1000 times
        }
        var error = Assert.Throws<ModelFileException>(() => Model.Load(path));
        Assert.Contains("more than 100 times", error.Message);
    }

    string SaveTutorialArchive()
    {
        var path = dir.Combine("source.keras");
        TutorialModel.Create(hidden: 4).Save(path);
        return path;
    }

    static byte[] ReadMember(string archive, string name)
    {
        using var zip = ZipFile.OpenRead(archive);
        using var stream = zip.GetEntry(name)!.Open();
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    [Fact]
    public void A_config_json_changed_after_saving_is_refused_in_an_archive_and_a_directory()
    {
        // The fuzz run's finding (load-dir, load-keras; seed 1): a config.json whose layer was renamed or whose
        // settings changed (re-zipped with a valid CRC in an archive) loaded with no error. Layerwise records the
        // config's hash in model.weights.h5, as it does in a whole-model .h5.
        var archive = dir.Combine("m.keras");
        var folder = dir.Combine("m_dir");
        var model = new Layerwise.Models.Sequential(new Layerwise.Layers.Dense(2, inputShape: [2], name: "dense_a"));
        model.Save(archive);
        model.Save(folder);
        Assert.Equal("dense_a", Model.Load(archive).Layers[0].Name);
        Assert.Equal("dense_a", Model.Load(folder).Layers[0].Name);

        string Renamed(string config) => config.Contains("\"dense_a\"", StringComparison.Ordinal)
            ? config.Replace("\"dense_a\"", "\"dense_b\"", StringComparison.Ordinal)
            : throw new InvalidOperationException("the layer name is not in config.json");
        var configPath = Path.Combine(folder, "config.json");
        File.WriteAllText(configPath, Renamed(File.ReadAllText(configPath)));
        using (var zip = ZipFile.Open(archive, ZipArchiveMode.Update))
        {
            var entry = zip.GetEntry("config.json")!;
            string text;
            using (var reader = new StreamReader(entry.Open())) text = reader.ReadToEnd();
            entry.Delete();
            using var writer = new StreamWriter(zip.CreateEntry("config.json", CompressionLevel.NoCompression).Open(), new UTF8Encoding(false));
            writer.Write(Renamed(text));
        }

        foreach (var path in new[] { archive, folder })
        {
            var error = Assert.Throws<ModelFileException>(() => Model.Load(path));
            Assert.Equal(path, error.FilePath);
            Assert.Contains("config.json does not match the hash recorded when the model was saved", error.Message);
        }
    }
}
