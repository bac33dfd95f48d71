using System.IO.Compression;
using System.Security.Cryptography;
using Layerwise.Data;
using static TorchSharp.torch;

namespace Layerwise.Tests.Data;

public class MnistTests
{
    [Fact]
    public void Shipped_subset_has_the_documented_shapes_and_bytes()
    {
        var data = Mnist.Load();

        Assert.Equal([10000L, 28, 28], data.TrainImages.shape);
        Assert.Equal([10000L], data.TrainLabels.shape);
        Assert.Equal([10000L, 28, 28], data.TestImages.shape);
        Assert.Equal(5, data.TrainLabels[0].item<byte>());              // the well-known first "5"
        Assert.Equal([7, 2, 1, 0, 4], data.TestLabels.narrow(0, 0, 5).data<byte>().ToArray().Select(b => (int)b));
        // sha256 of the uncompressed test labels, from Data/mnist/README.md: the file's payload after its 8-byte header
        var labelFile = new byte[8 + 10000];
        labelFile[2] = 0x08; labelFile[3] = 1; labelFile[6] = 0x27; labelFile[7] = 0x10;
        data.TestLabels.data<byte>().ToArray().CopyTo(labelFile, 8);
        Assert.Equal("ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2", Convert.ToHexStringLower(SHA256.HashData(labelFile)));
    }

    [Fact]
    public void Preprocess_flattens_scales_and_takes_the_first_examples()
    {
        var data = Mnist.Load();
        var (x, y) = Mnist.Preprocess(data.TrainImages, data.TrainLabels, 1000);
        Assert.Equal([1000L, 784], x.shape);
        Assert.Equal(ScalarType.Float32, x.dtype);
        Assert.InRange(x.max().item<float>(), 0.99f, 1f);
        Assert.Equal(ScalarType.Int64, y.dtype);
        Assert.Equal(data.TrainImages[0, 14, 14].item<byte>() / 255f, x[0, 14 * 28 + 14].item<float>(), 6);
    }

    [Fact]
    public void Official_files_load_from_a_directory_raw_or_gzip()
    {
        var dir = Directory.CreateTempSubdirectory("mnist").FullName;
        try
        {
            WriteIdx(Path.Combine(dir, "train-images-idx3-ubyte"), [2, 28, 28], gzip: false);
            WriteIdx(Path.Combine(dir, "train-labels-idx1-ubyte.gz"), [2], gzip: true);
            WriteIdx(Path.Combine(dir, "t10k-images-idx3-ubyte.gz"), [3, 28, 28], gzip: true);
            WriteIdx(Path.Combine(dir, "t10k-labels-idx1-ubyte"), [3], gzip: false);

            var data = Mnist.Load(dir);

            Assert.Equal([2L, 28, 28], data.TrainImages.shape);
            Assert.Equal([3L], data.TestLabels.shape);
            Assert.Equal(new byte[] { 0, 1, 2 }, data.TestLabels.data<byte>().ToArray());
        }
        finally { Directory.Delete(dir, true); }
    }

    [Fact]
    public void Missing_file_names_the_file_and_the_folder()
    {
        var dir = Directory.CreateTempSubdirectory("mnist-empty").FullName;
        var e = Assert.Throws<FileNotFoundException>(() => Mnist.Load(dir));
        Assert.Contains("train-images-idx3-ubyte", e.Message);
        Assert.Contains(dir, e.Message);
    }

    [Fact]
    public void Shipped_subset_is_read_from_the_mnist_folder_beside_the_app_not_from_the_assembly()
    {
        // Layerwise.Datasets copies the files into the output (the test project references it).
        Assert.True(File.Exists(Path.Combine(AppContext.BaseDirectory, "mnist", "train-images-idx3-ubyte.gz")));
        Assert.True(File.Exists(Path.Combine(AppContext.BaseDirectory, "mnist", "README.md")));
        Assert.DoesNotContain(typeof(Mnist).Assembly.GetManifestResourceNames(), n => n.Contains("mnist", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public void Without_the_datasets_package_Load_says_which_package_brings_the_subset()
    {
        var app = Directory.CreateTempSubdirectory("app-without-datasets").FullName;
        try
        {
            var e = Assert.Throws<FileNotFoundException>(() => Mnist.LoadShipped(app));
            Assert.Contains("Layerwise.Datasets", e.Message);
            Assert.Contains(Path.Combine(app, "mnist"), e.Message);
            Assert.Contains("Mnist.Load(directory)", e.Message);
        }
        finally { Directory.Delete(app, true); }
    }

    [Fact]
    public void Truncated_and_foreign_files_give_typed_errors_that_say_what_is_wrong()
    {
        var bytes = Idx([4, 28, 28]);
        var truncated = Assert.Throws<InvalidDataException>(() => IdxReader.Read(new MemoryStream(bytes[..100]), "cut.idx"));
        Assert.Contains("cut.idx", truncated.Message);
        Assert.Contains("truncated", truncated.Message);

        var wrongType = bytes.ToArray();
        wrongType[2] = 0x0D; // float
        Assert.Contains("0x0D", Assert.Throws<InvalidDataException>(() => IdxReader.Read(new MemoryStream(wrongType), "f.idx")).Message);

        var notIdx = "PK\x03\x04 not an idx file"u8.ToArray();
        Assert.Contains("not an IDX file", Assert.Throws<InvalidDataException>(() => IdxReader.Read(new MemoryStream(notIdx), "z.zip")).Message);
    }

    [Fact]
    public void Absurd_declared_sizes_are_refused_before_allocating()
    {
        byte[] header = [0, 0, 0x08, 3, 0xFF, 0xFF, 0xFF, 0xFF, 0, 0, 0xFF, 0xFF, 0, 0, 0xFF, 0xFF];
        var e = Assert.Throws<InvalidDataException>(() => IdxReader.Read(new MemoryStream(header), "huge.idx"));
        Assert.Contains("refusing to allocate", e.Message);
    }

    /// <summary>An IDX file of unsigned bytes whose items count 0, 1, 2, ... (mod 256).</summary>
    static byte[] Idx(int[] shape)
    {
        var stream = new MemoryStream();
        stream.Write([0, 0, 0x08, (byte)shape.Length]);
        foreach (var d in shape) stream.Write([(byte)(d >> 24), (byte)(d >> 16), (byte)(d >> 8), (byte)d]);
        int count = shape.Aggregate(1, (a, b) => a * b);
        for (int i = 0; i < count; i++) stream.WriteByte((byte)i);
        return stream.ToArray();
    }

    static void WriteIdx(string path, int[] shape, bool gzip)
    {
        var bytes = Idx(shape);
        if (!gzip) { File.WriteAllBytes(path, bytes); return; }
        using var file = File.Create(path);
        using var zip = new GZipStream(file, CompressionLevel.Fastest);
        zip.Write(bytes);
    }
}
