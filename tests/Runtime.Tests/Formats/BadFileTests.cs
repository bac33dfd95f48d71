using System.IO.Compression;
using System.Text;
using Layerwise.Formats;
using Layerwise.Models;

namespace Layerwise.Tests.Formats;

/// <summary>
/// Corrupt, truncated and hostile files: each gives a <see cref="ModelFileException"/> (a
/// <see cref="LayerwiseException"/>) that names the file, the object inside it and what was
/// expected; never a crash, a hang or a half-loaded model.
/// </summary>
public class BadFileTests
{
    public BadFileTests() => TutorialModel.SingleThread();

    static ModelFileException Refused(string path, Action load)
    {
        var error = Assert.Throws<ModelFileException>(load);
        Assert.Equal(path, error.FilePath);
        Assert.Contains(path, error.Message);
        return error;
    }

    [Theory]
    [InlineData("model.h5")]
    [InlineData("model.keras")]
    public void Text_file_with_a_model_extension_is_refused(string name)
    {
        using var dir = new TempDirectory();
        var path = dir.Combine(name);
        File.WriteAllText(path, "this is not a model");
        var error = Refused(path, () => Model.Load(path));
        Assert.Contains(name.EndsWith(".h5") ? "HDF5" : "zip", error.Message);
    }

    [Fact]
    public void Empty_file_is_refused()
    {
        using var dir = new TempDirectory();
        var path = dir.Combine("empty.h5");
        File.WriteAllBytes(path, []);
        Refused(path, () => Model.Load(path));
    }

    [Theory]
    [InlineData(0.5)]
    [InlineData(0.9)]
    [InlineData(0.02)]
    public void Truncated_h5_is_refused(double keep)
    {
        using var dir = new TempDirectory();
        var path = dir.Combine("model.h5");
        TutorialModel.Create(hidden: 64).Save(path);
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..(int)(bytes.Length * keep)]);
        Refused(path, () => Model.Load(path));
    }

    [Fact]
    public void Truncated_keras_archive_is_refused()
    {
        using var dir = new TempDirectory();
        var path = dir.Combine("model.keras");
        TutorialModel.Create(hidden: 64).Save(path);
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..(bytes.Length / 2)]);
        Refused(path, () => Model.Load(path));
    }

    [Fact]
    public void Corrupted_structure_bytes_never_escape_as_untyped_errors()
    {
        using var dir = new TempDirectory();
        var original = dir.Combine("model.h5");
        var model = TutorialModel.Create(hidden: 8);
        model.Save(original);
        var bytes = File.ReadAllBytes(original);
        var random = new Random(3);
        for (int trial = 0; trial < 40; trial++)
        {
            var damaged = (byte[])bytes.Clone();
            // damage the structure (first 4 KB: superblock, object headers, heaps), not only weight values
            for (int k = 0; k < 8; k++) damaged[random.Next(8, Math.Min(4096, damaged.Length))] ^= (byte)random.Next(1, 256);
            var path = dir.Combine($"damaged{trial}.h5");
            File.WriteAllBytes(path, damaged);
            try
            {
                Model.Load(path);
            }
            catch (LayerwiseException)
            {
                // refused with a typed error: what we want
            }
        }
    }

    [Fact]
    public void Zip_member_path_that_escapes_the_archive_is_refused()
    {
        using var dir = new TempDirectory();
        var path = dir.Combine("evil.keras");
        using (var zip = ZipFile.Open(path, ZipArchiveMode.Create))
        {
            Write(zip, "config.json", "{}");
            Write(zip, "../../outside.txt", "owned");
            Write(zip, "model.weights.h5", "x");
        }
        var error = Refused(path, () => Model.Load(path));
        Assert.Equal("../../outside.txt", error.ObjectPath);
        Assert.Contains("unsafe member path", error.Message);
        Assert.False(File.Exists(Path.Combine(dir.Path, "..", "outside.txt")));
    }

    [Theory]
    [InlineData("/etc/passwd")]
    [InlineData("..\\evil.json")]
    [InlineData("C:evil.json")]
    public void Absolute_and_backslash_member_paths_are_refused(string member)
    {
        using var dir = new TempDirectory();
        var path = dir.Combine("evil.keras");
        using (var zip = ZipFile.Open(path, ZipArchiveMode.Create)) Write(zip, member, "{}");
        Assert.Contains("unsafe member path", Refused(path, () => Model.Load(path)).Message);
    }

    [Fact]
    public void Giant_declared_member_size_is_refused_before_allocation()
    {
        using var dir = new TempDirectory();
        var path = dir.Combine("bomb.keras");
        using (var zip = ZipFile.Open(path, ZipArchiveMode.Create))
        {
            var entry = zip.CreateEntry("config.json", CompressionLevel.NoCompression);
            using (var s = entry.Open()) s.Write("{\"class_name\": \"Sequential\"}"u8);
            Write(zip, "model.weights.h5", "x");
        }
        // Declare 2 GB of config.json in the central directory (what the reader trusts for sizes).
        var bytes = File.ReadAllBytes(path);
        int central = FindLast(bytes, [0x50, 0x4b, 0x01, 0x02], "config.json");
        BitConverter.GetBytes(0x7FFF_FFF0u).CopyTo(bytes, central + 24);
        File.WriteAllBytes(path, bytes);
        var error = Refused(path, () => Model.Load(path));
        Assert.Equal("config.json", error.ObjectPath);
        Assert.Contains("2147483632", error.Message);
    }

    [Fact]
    public void Keras_archive_without_config_is_refused()
    {
        using var dir = new TempDirectory();
        var path = dir.Combine("partial.keras");
        using (var zip = ZipFile.Open(path, ZipArchiveMode.Create)) Write(zip, "metadata.json", "{}");
        var error = Refused(path, () => Model.Load(path));
        Assert.Equal("config.json", error.ObjectPath);
    }

    [Fact]
    public void Invalid_json_config_is_refused()
    {
        using var dir = new TempDirectory();
        var saved = dir.Combine("saved");
        TutorialModel.Create(hidden: 4).Save(saved);
        File.WriteAllText(Path.Combine(saved, "config.json"), "{\"class_name\": \"Sequential\", ");
        var error = Refused(saved, () => Model.Load(saved));
        Assert.Contains("JSON", error.Message);
    }

    [Fact]
    public void Unknown_layer_class_is_refused_with_the_registry_message()
    {
        using var dir = new TempDirectory();
        var saved = dir.Combine("saved");
        TutorialModel.Create(hidden: 4).Save(saved);
        var configPath = Path.Combine(saved, "config.json");
        File.WriteAllText(configPath, File.ReadAllText(configPath).Replace("\"Dropout\"", "\"Dropoot\""));
        var error = Assert.Throws<UnsupportedLayersException>(() => Model.Load(saved));
        Assert.Equal(saved, error.FilePath);
        Assert.Contains("Unknown layer: 'Dropoot'", error.Message);
        Assert.Contains("Did you mean: 'Dropout'", error.Message);
        Assert.Equal("Dropoot", error.Layers.Single().ClassName);
    }

    [Fact]
    public void Weights_of_another_shape_are_refused_and_the_model_is_left_unchanged()
    {
        using var dir = new TempDirectory();
        var path = dir.Combine("small.h5");
        var small = TutorialModel.Create(hidden: 16);
        small.SaveWeightsHdf5(path);
        var model = TutorialModel.Create(hidden: 32);
        var before = TutorialModel.WeightValues(model);
        var error = Refused(path, () => model.LoadWeightsHdf5(path));
        Assert.Contains("(784, 32)", error.Message);
        Assert.Contains("(784, 16)", error.Message);
        var layer = small.Layers[0].Name;
        Assert.Equal($"/{layer}/{layer}/kernel:0", error.ObjectPath);
        Assert.Equal(before, TutorialModel.WeightValues(model));
    }

    [Fact]
    public void Weights_of_another_architecture_are_refused()
    {
        using var dir = new TempDirectory();
        var path = dir.Combine("other.keras");
        var other = new Sequential(new Layerwise.Layers.Dense(16, inputShape: [784]), new Layerwise.Layers.Dense(16), new Layerwise.Layers.Dense(10));
        other.Save(path);
        var saved = dir.Combine("other.weights.h5");
        other.SaveWeightsHdf5(saved);
        var model = TutorialModel.Create(hidden: 16);
        Assert.Throws<ModelFileException>(() => model.LoadWeightsHdf5(saved));
        var legacy = dir.Combine("other.h5");
        other.SaveWeightsHdf5(legacy);
        Assert.Contains("architectures differ", Refused(legacy, () => model.LoadWeightsHdf5(legacy)).Message);
    }

    [Fact]
    public void Failed_save_leaves_the_previous_file_and_no_temporary_file()
    {
        using var dir = new TempDirectory();
        var path = dir.Combine("model.h5");
        File.WriteAllText(path, "previous");
        Assert.Throws<IOException>(() => AtomicFile.Write(path, temporary =>
        {
            File.WriteAllText(temporary, "half");
            throw new IOException("disk full");
        }));
        Assert.Equal("previous", File.ReadAllText(path));
        Assert.Equal(["model.h5"], Directory.GetFiles(dir.Path).Select(Path.GetFileName));
    }

    [Fact]
    public void TensorFlow_SavedModel_directory_is_refused_with_a_hint()
    {
        using var dir = new TempDirectory();
        var saved = dir.Combine("saved_model");
        Directory.CreateDirectory(saved);
        File.WriteAllBytes(Path.Combine(saved, "saved_model.pb"), [1, 2, 3]);
        Assert.Contains("TensorFlow SavedModel", Refused(saved, () => Model.Load(saved)).Message);
    }

    static void Write(ZipArchive zip, string name, string text)
    {
        using var stream = zip.CreateEntry(name).Open();
        stream.Write(Encoding.UTF8.GetBytes(text));
    }

    static int FindLast(byte[] bytes, byte[] signature, string name)
    {
        var nameBytes = Encoding.UTF8.GetBytes(name);
        for (int i = bytes.Length - 46; i >= 0; i--)
            if (bytes.AsSpan(i, 4).SequenceEqual(signature) && bytes.AsSpan(i + 46, nameBytes.Length).SequenceEqual(nameBytes))
                return i;
        throw new InvalidOperationException("central directory entry not found");
    }
}
