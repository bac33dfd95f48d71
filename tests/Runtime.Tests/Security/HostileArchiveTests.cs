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
}
