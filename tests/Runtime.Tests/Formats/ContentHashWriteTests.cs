using System.IO.Compression;
using System.IO.Hashing;
using Layerwise.Formats;
using Layerwise.Models;
using PureHDF;

namespace Layerwise.Tests.Formats;

/// <summary>
/// Every HDF5 file Layerwise writes gives each float32 dataset (weights and optimizer slots) the XXH128 of its bytes
/// as attribute <c>layerwise_xxh128</c> (Keras 3's scalar optimizer state, the learning rate, is written as a
/// plain scalar, as before). The hashes are computed in parallel just before the file is written; here
/// h5py reads each dataset's bytes and its attribute, and the test hashes those bytes itself with System.IO.Hashing.
/// </summary>
public class ContentHashWriteTests
{
    const string ListHashes =
        "import h5py, sys\n" +
        "def visit(name, obj):\n" +
        "    if isinstance(obj, h5py.Dataset) and obj.dtype.kind == 'f' and obj.ndim > 0:\n" +
        "        h = obj.attrs.get('layerwise_xxh128')\n" +
        "        h = h.decode() if isinstance(h, bytes) else h\n" +
        "        print(name, obj[()].astype('<f4').tobytes().hex(), h)\n" +
        "with h5py.File(sys.argv[1], 'r') as f:\n" +
        "    f.visititems(visit)\n";

    [H5PyTheory]
    [InlineData("model.h5")]
    [InlineData("weights.h5")]
    [InlineData("model.weights.h5")]
    [InlineData("model.keras")]
    [InlineData("saved")]
    public void Every_float_dataset_carries_the_xxh128_of_its_bytes(string name)
    {
        using var dir = new TempDirectory();
        Backend.SetRandomSeed(3);
        var model = TutorialModel.Create(hidden: 24);
        var (x, y) = TutorialModel.Data(16);
        model.Fit(x, y, batchSize: 8, epochs: 1, verbose: 0, shuffle: false);   // optimizer slots too
        var path = dir.Combine(name);
        if (name == "weights.h5" || name == "model.weights.h5") model.SaveWeightsHdf5(path);
        else model.Save(path);

        var h5 = name switch
        {
            "model.keras" => Extracted(path, dir.Combine("extracted.weights.h5")),
            "saved" => Path.Combine(path, "model.weights.h5"),
            _ => path,
        };
        var lines = H5Py.Run(ListHashes, [h5]).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        // The model's 4 weights, and with the optimizer's slots more.
        Assert.True(lines.Length >= 4, $"{name}: h5py listed {lines.Length} float datasets");
        foreach (var line in lines)
        {
            var parts = line.Split(' ');
            var expected = Convert.ToHexStringLower(XxHash128.Hash(Convert.FromHexString(parts[1])));
            Assert.True(expected == parts[2], $"{name}: dataset {parts[0]} records {parts[2]}, its bytes hash to {expected}");
        }
    }

    [Fact]
    public void A_file_written_without_computing_its_pending_hashes_fails()
    {
        using var dir = new TempDirectory();
        var file = new H5File();
        var dataset = new H5Dataset(new float[] { 1, 2, 3 });
        ContentHash.AttachLater(dataset, new float[] { 1, 2, 3 });
        file["values"] = dataset;
        Assert.ThrowsAny<Exception>(() => file.Write(dir.Combine("raw.h5")));
    }

    static string Extracted(string archive, string target)
    {
        using var zip = ZipFile.OpenRead(archive);
        zip.GetEntry("model.weights.h5")!.ExtractToFile(target);
        return target;
    }
}
